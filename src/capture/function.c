/*
 * function.c - capture functions (kind "function", window functions
 * included) and procedures (kind "procedure"):
 *
 *   CREATE OR REPLACE FUNCTION s.f(a integer)
 *    RETURNS integer
 *    LANGUAGE sql
 *   AS $function$select 1$function$;
 *
 * The text is pg_get_functiondef()'s with its final newline replaced by
 * ";\n". The object name is "name(identity arguments)" so that overloads
 * are separate objects.
 *
 * Aggregates are aggregate.c's. Comments and grants follow from attach.c.
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

typedef struct {
	const char *schema; /* unquoted */
	const char *name; /* proname(identity arguments) */
	const char *kind; /* "function" or "procedure" */
	const char *definition;
	unsigned long oid;
} function_info;

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_KIND,
	COL_DEFINITION,
	NCOLS
};
static const char *const columns[NCOLS] = { "funcid", "schema_name", "object_name", "kind", "definition" };

static int render(ds_buf *b, const function_info *f)
{
	if (!f->definition)
		return ds_error_set("%s %s.%s: no definition", f->kind, f->schema, f->name);
	size_t len = strlen(f->definition);
	while (len > 0 && f->definition[len - 1] == '\n')
		len--;
	ds_buf_put(b, f->definition, len);
	ds_buf_puts(b, ";\n");
	return 0;
}

int ds_capture_function(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_function, columns, NCOLS, idx);
	if (rc)
		return rc;

	int n = PQntuples(res);
	function_info *funcs = ds_xcalloc((size_t)n, sizeof *funcs);
	for (int i = 0; i < n; i++) {
		funcs[i].oid = ds_capture_get_oid(res, i, idx[COL_OID]);
		funcs[i].schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		funcs[i].name = ds_capture_get(res, i, idx[COL_NAME]);
		funcs[i].kind = ds_capture_get(res, i, idx[COL_KIND]);
		funcs[i].definition = ds_capture_get(res, i, idx[COL_DEFINITION]);
	}
	for (int i = 0; !rc && i < n; i++) {
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, &funcs[i]);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_object(ctx, &b, "pg_proc", funcs[i].oid, funcs[i].schema, funcs[i].kind,
				  funcs[i].name);
	}

	free(funcs);
	PQclear(res);
	return rc;
}
