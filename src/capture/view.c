/*
 * view.c - capture views:
 *
 *   CREATE VIEW s.v [WITH (option='value', ...)] AS
 *    SELECT ...
 *     [WITH LOCAL|CASCADED CHECK OPTION];
 *   ALTER VIEW s.v ALTER COLUMN c SET DEFAULT expr;
 *   CREATE TRIGGER ... INSTEAD OF ... ON s.v ...;
 *   CREATE RULE ... AS ON INSERT TO s.v DO INSTEAD ...;
 *
 * The query is pg_get_viewdef()'s, which names everything it references
 * qualified under the capture session's empty search_path. The check option
 * is written after the query as pg_dump does (PostgreSQL keeps it among the
 * storage options); the other options are sorted by name. Column defaults
 * (sql/capture/view_defaults.sql) are what an INSERT through the view
 * fills in; triggers and rules are read and written by table_trigger.c, as
 * for tables. Comments and privileges follow the view, from attach.c.
 * Materialized views are a kind of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "table_int.h"

typedef struct {
	unsigned long oid;
	const char *schema; /* unquoted */
	const char *name; /* unquoted */
	const char *qualified;
	const char *reloptions; /* "a='1', b='x'" or NULL */
	const char *check_option; /* "LOCAL", "CASCADED" or NULL */
	const char *definition;
	tbl_trigger *triggers;
	size_t ntriggers;
	tbl_rule *rules;
	size_t nrules;
} view_info;

/* What the views' texts are made from; the strings point into the results. */
typedef struct {
	PGresult *res;
	tbl_part defaults;
	tbl_part triggers;
	tbl_part rules;
	view_info *views;
	int n;
} view_catalog;

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
	"relid",      "schema_name",  "view_name",  "qualified_name",
	"reloptions", "check_option", "definition",
};

enum {
	D_RELID,
	D_COLUMN,
	D_EXPR,
	D_NCOLS
};
static const char *const default_columns[D_NCOLS] = { "relid", "column_name", "default_expr" };

static void render_defaults(ds_buf *b, const tbl_part *defaults, const view_info *v)
{
	const int *idx = defaults->idx;
	int begin, end;
	tbl_rows_of(defaults->res, idx[D_RELID], v->oid, &begin, &end);
	for (int r = begin; r < end; r++)
		ds_buf_printf(b, "ALTER VIEW %s ALTER COLUMN %s SET DEFAULT %s;\n", v->qualified,
			      ds_capture_get(defaults->res, r, idx[D_COLUMN]),
			      ds_capture_get(defaults->res, r, idx[D_EXPR]));
}

static int render(ds_buf *b, const view_catalog *cat, const view_info *v)
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
	render_defaults(b, &cat->defaults, v);
	tbl_trigger_render(b, v->triggers, v->ntriggers, v->qualified);
	tbl_rule_render(b, v->rules, v->nrules, v->qualified);
	return 0;
}

static void catalog_free(view_catalog *cat)
{
	for (int i = 0; cat->views && i < cat->n; i++) {
		free(cat->views[i].triggers);
		free(cat->views[i].rules);
	}
	free(cat->views);
	PQclear(cat->res);
	PQclear(cat->defaults.res);
	PQclear(cat->triggers.res);
	PQclear(cat->rules.res);
}

static int gather(ds_capture_ctx *ctx, view_catalog *cat)
{
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &cat->res, ds_sql_capture_view, columns, NCOLS, idx);
	if (rc)
		return ds_error_wrap(rc, "reading views");
	if ((rc = tbl_part_read(ctx, &cat->defaults, ds_sql_capture_view_defaults,
				"view column defaults", default_columns, D_NCOLS)) ||
	    (rc = tbl_trigger_read(ctx, &cat->triggers, &cat->rules)))
		return rc;

	const PGresult *res = cat->res;
	cat->n = PQntuples(res);
	cat->views = ds_xcalloc((size_t)cat->n, sizeof *cat->views);
	for (int i = 0; i < cat->n; i++) {
		view_info *v = &cat->views[i];
		v->oid = ds_capture_get_oid(res, i, idx[COL_OID]);
		v->schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		v->name = ds_capture_get(res, i, idx[COL_NAME]);
		v->qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		v->reloptions = ds_capture_get(res, i, idx[COL_RELOPTIONS]);
		v->check_option = ds_capture_get(res, i, idx[COL_CHECK]);
		v->definition = ds_capture_get(res, i, idx[COL_DEFINITION]);
		v->ntriggers = tbl_trigger_of(&cat->triggers, v->oid, &v->triggers);
		v->nrules = tbl_rule_of(&cat->rules, v->oid, &v->rules);
	}
	return 0;
}

int ds_capture_view(ds_capture_ctx *ctx)
{
	view_catalog cat = { 0 };
	int rc = gather(ctx, &cat);

	for (int i = 0; !rc && i < cat.n; i++) {
		const view_info *v = &cat.views[i];
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, &cat, v);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_object(ctx, &b, "pg_class", v->oid, v->schema, "view", v->name);
	}
	catalog_free(&cat);
	return rc;
}
