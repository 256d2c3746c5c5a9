/*
 * schema.c - capture schemas: "CREATE SCHEMA name;".
 *
 * Every tracked schema is captured, public included, so that an empty
 * schema is part of the snapshot too. Its comment, privileges and (with
 * --with-owners) owner follow, from attach.c.
 */
#include <stdlib.h>

#include "capture_int.h"
#include "ddlsnap_sql.h"

typedef struct {
	unsigned long oid;
	const char *name; /* unquoted */
	const char *quoted; /* quoted where needed */
} schema_info;

enum {
	COL_OID,
	COL_NAME,
	COL_QUOTED,
	NCOLS
};
static const char *const columns[NCOLS] = { "schema_oid", "schema_name", "quoted_name" };

static void emit(ds_capture_ctx *ctx, const schema_info *s)
{
	ds_buf b = DS_BUF_INIT;
	ds_buf_printf(&b, "CREATE SCHEMA %s;\n", s->quoted);
	ds_capture_object(ctx, &b, "pg_namespace", s->oid, s->name, "schema", s->name);
}

int ds_capture_schema(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_schema, columns, NCOLS, idx);
	if (rc)
		return rc;

	int n = PQntuples(res);
	schema_info *schemas = ds_xcalloc((size_t)n, sizeof *schemas);
	for (int i = 0; i < n; i++) {
		schemas[i].oid = ds_capture_get_oid(res, i, idx[COL_OID]);
		schemas[i].name = PQgetvalue(res, i, idx[COL_NAME]);
		schemas[i].quoted = PQgetvalue(res, i, idx[COL_QUOTED]);
	}
	for (int i = 0; i < n; i++)
		emit(ctx, &schemas[i]);

	free(schemas);
	PQclear(res);
	return 0;
}
