/*
 * matview.c - capture materialized views (kind "materialized_view"), one
 * text holding everything of the view:
 *
 *   CREATE MATERIALIZED VIEW s.m [USING am] [WITH (option='value', ...)] AS
 *    SELECT ...
 *     WITH NO DATA;
 *   ALTER MATERIALIZED VIEW s.m ALTER COLUMN c SET STATISTICS|STORAGE|(...)|COMPRESSION ...;
 *   CREATE [UNIQUE] INDEX ... ON s.m ...;     by name, each followed by
 *   ALTER INDEX s.i ALTER COLUMN n SET STATISTICS n;   its columns' targets
 *   ALTER MATERIALIZED VIEW s.m CLUSTER ON i;
 *   COMMENT ON / GRANT ...                    from attach.c (index and
 *                                             column comments included)
 *
 * The view is always written WITH NO DATA, as pg_dump --schema-only does:
 * whether it is populated (relispopulated) is the state of its data, which
 * a REFRESH changes without any DDL, so it is not part of the captured
 * schema. A checkout gives empty, unpopulated views; REFRESH them to read.
 *
 * Not captured (listed as skipped by uncaptured.c): tablespaces of the view
 * and of its indexes.
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
	const char *access_method; /* NULL for heap */
	const char *reloptions; /* "a='1', toast.b='x'" or NULL */
	const char *definition;
	const char *column_settings; /* ALTER statements, one a line, or NULL */
	const char *indexes; /* CREATE INDEX statements, one a line, or NULL */
	const char *cluster_index; /* quoted index name or NULL */
} matview_info;

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_QUALIFIED,
	COL_AM,
	COL_RELOPTIONS,
	COL_DEFINITION,
	COL_COLUMN_SETTINGS,
	COL_INDEXES,
	COL_CLUSTER,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"relid",      "schema_name", "matview_name",	"qualified_name", "access_method",
	"reloptions", "definition",  "column_settings", "indexes",	  "cluster_index",
};

static int render(ds_buf *b, const matview_info *m)
{
	if (!m->definition)
		return ds_error_set("materialized view %s: no definition", m->qualified);

	/* pg_get_viewdef() ends the query with ";", which WITH NO DATA follows. */
	size_t len = strlen(m->definition);
	if (len > 0 && m->definition[len - 1] == ';')
		len--;

	ds_buf_printf(b, "CREATE MATERIALIZED VIEW %s", m->qualified);
	if (m->access_method)
		ds_buf_printf(b, " USING %s", m->access_method);
	if (m->reloptions)
		ds_buf_printf(b, " WITH (%s)", m->reloptions);
	ds_buf_puts(b, " AS\n");
	ds_buf_put(b, m->definition, len);
	ds_buf_puts(b, "\n  WITH NO DATA;\n");
	if (m->column_settings)
		ds_buf_printf(b, "%s\n", m->column_settings);
	if (m->indexes)
		ds_buf_printf(b, "%s\n", m->indexes);
	if (m->cluster_index)
		ds_buf_printf(b, "ALTER MATERIALIZED VIEW %s CLUSTER ON %s;\n", m->qualified,
			      m->cluster_index);
	return 0;
}

int ds_capture_matview(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_matview, columns, NCOLS, idx);
	if (rc)
		return rc;

	int n = PQntuples(res);
	matview_info *views = ds_xcalloc((size_t)n, sizeof *views);
	for (int i = 0; i < n; i++) {
		matview_info *m = &views[i];
		m->oid = ds_capture_get_oid(res, i, idx[COL_OID]);
		m->schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		m->name = ds_capture_get(res, i, idx[COL_NAME]);
		m->qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		m->access_method = ds_capture_get(res, i, idx[COL_AM]);
		m->reloptions = ds_capture_get(res, i, idx[COL_RELOPTIONS]);
		m->definition = ds_capture_get(res, i, idx[COL_DEFINITION]);
		m->column_settings = ds_capture_get(res, i, idx[COL_COLUMN_SETTINGS]);
		m->indexes = ds_capture_get(res, i, idx[COL_INDEXES]);
		m->cluster_index = ds_capture_get(res, i, idx[COL_CLUSTER]);
	}
	for (int i = 0; !rc && i < n; i++) {
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, &views[i]);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_object(ctx, &b, "pg_class", views[i].oid, views[i].schema,
				  "materialized_view", views[i].name);
	}

	free(views);
	PQclear(res);
	return rc;
}
