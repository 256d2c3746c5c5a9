/*
 * view.c - capture views:
 *
 *   CREATE VIEW s.v [WITH (option='value', ...)] AS
 *    SELECT ...
 *     [WITH LOCAL|CASCADED CHECK OPTION];
 *
 * The query is pg_get_viewdef()'s, which names everything it references
 * qualified under the capture session's empty search_path. The check option
 * is written after the query as pg_dump does (PostgreSQL keeps it among the
 * storage options); the other options are sorted by name.
 *
 * Not captured yet (listed as skipped by uncaptured.c): materialized views,
 * column defaults of views, rules and triggers on views. Comments and
 * privileges follow the view, from attach.c.
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

typedef struct {
	unsigned long oid;
	const char *schema; /* unquoted */
	const char *name; /* unquoted */
	const char *qualified;
	const char *reloptions; /* "a='1', b='x'" or NULL */
	const char *check_option; /* "LOCAL", "CASCADED" or NULL */
	const char *definition;
} view_info;

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_QUALIFIED,
	COL_RELOPTIONS,
	COL_CHECK,
	COL_DEFINITION,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"relid", "schema_name", "view_name", "qualified_name", "reloptions", "check_option", "definition",
};

static int render(ds_buf *b, const view_info *v)
{
	if (!v->definition)
		return ds_error_set("view %s: no definition", v->qualified);

	/* pg_get_viewdef() ends the query with ";", which the check option follows. */
	size_t len = strlen(v->definition);
	if (len > 0 && v->definition[len - 1] == ';')
		len--;

	ds_buf_printf(b, "CREATE VIEW %s", v->qualified);
	if (v->reloptions)
		ds_buf_printf(b, " WITH (%s)", v->reloptions);
	ds_buf_puts(b, " AS\n");
	ds_buf_put(b, v->definition, len);
	if (v->check_option)
		ds_buf_printf(b, "\n  WITH %s CHECK OPTION", v->check_option);
	ds_buf_puts(b, ";\n");
	return 0;
}

int ds_capture_view(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_view, columns, NCOLS, idx);
	if (rc)
		return rc;

	int n = PQntuples(res);
	view_info *views = ds_xcalloc((size_t)n, sizeof *views);
	for (int i = 0; i < n; i++) {
		views[i].oid = ds_capture_get_oid(res, i, idx[COL_OID]);
		views[i].schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		views[i].name = ds_capture_get(res, i, idx[COL_NAME]);
		views[i].qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		views[i].reloptions = ds_capture_get(res, i, idx[COL_RELOPTIONS]);
		views[i].check_option = ds_capture_get(res, i, idx[COL_CHECK]);
		views[i].definition = ds_capture_get(res, i, idx[COL_DEFINITION]);
	}
	for (int i = 0; !rc && i < n; i++) {
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, &views[i]);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_attach(ctx, &b, "pg_class", views[i].oid);
		ds_capture_add(ctx->out, views[i].schema, "view", views[i].name,
				       ds_buf_detach(&b));
	}

	free(views);
	PQclear(res);
	return rc;
}
