/*
 * operator.c - capture operators (kind "operator"):
 *
 *   CREATE OPERATOR s.=== (
 *       FUNCTION = s.same,
 *       LEFTARG = integer,
 *       RIGHTARG = integer,
 *       COMMUTATOR = OPERATOR(s.===),
 *       NEGATOR = OPERATOR(s.!==),
 *       MERGES,
 *       HASHES,
 *       RESTRICT = eqsel,
 *       JOIN = eqjoinsel
 *   );
 *
 * The object name is "op(left,right)" (NONE for the left type of a prefix
 * operator), so that operators of one name and other types are separate
 * objects. Operators naming each other as COMMUTATOR or NEGATOR execute in
 * either order: the first creates a shell of the other, which the second
 * fills in; shells themselves are not captured (sql/capture/operator.sql).
 * Comments follow from attach.c.
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

typedef struct {
	unsigned long oid;
	const char *schema; /* unquoted */
	const char *name; /* op(left,right) */
	const char *qualified; /* schema.op */
	const char *options; /* "FUNCTION = f,\n    LEFTARG = t..." */
} operator_info;

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_QUALIFIED,
	COL_OPTIONS,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"oprid", "schema_name", "object_name", "qualified_name", "options",
};

static int render(ds_buf *b, const operator_info *o)
{
	if (!o->options)
		return ds_error_set("operator %s.%s: no definition", o->schema, o->name);
	ds_buf_printf(b, "CREATE OPERATOR %s (\n    %s\n);\n", o->qualified, o->options);
	return 0;
}

int ds_capture_operator(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_operator, columns, NCOLS, idx);
	if (rc)
		return rc;

	int n = PQntuples(res);
	operator_info *ops = ds_xcalloc((size_t)n, sizeof *ops);
	for (int i = 0; i < n; i++) {
		ops[i].oid = ds_capture_get_oid(res, i, idx[COL_OID]);
		ops[i].schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		ops[i].name = ds_capture_get(res, i, idx[COL_NAME]);
		ops[i].qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		ops[i].options = ds_capture_get(res, i, idx[COL_OPTIONS]);
	}
	for (int i = 0; !rc && i < n; i++) {
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, &ops[i]);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_object(ctx, &b, "pg_operator", ops[i].oid, ops[i].schema, "operator",
				  ops[i].name);
	}

	free(ops);
	PQclear(res);
	return rc;
}
