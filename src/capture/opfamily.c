/*
 * opfamily.c - capture operator families (kind "operator_family"), named
 * "family USING method":
 *
 *   CREATE OPERATOR FAMILY s.f USING btree;
 *   ALTER OPERATOR FAMILY s.f USING btree ADD
 *       OPERATOR 1 <(integer,bigint),
 *       FUNCTION 1 (integer, bigint) btint48cmp(integer,bigint);
 *
 * Every family is captured, also those CREATE OPERATOR CLASS made
 * implicitly, since a class always names its family (opclass.c); the ALTER
 * carries the members that belong to the family rather than to one of its
 * classes (sql/capture/opfamily.sql). Comments follow from attach.c.
 */
#include <stdlib.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_QUALIFIED,
	COL_MEMBERS,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"opfid", "schema_name", "object_name", "qualified_name", "members",
};

int ds_capture_opfamily(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_opfamily, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; i < PQntuples(res); i++) {
		const char *qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		const char *members = ds_capture_get(res, i, idx[COL_MEMBERS]);
		ds_buf b = DS_BUF_INIT;
		ds_buf_printf(&b, "CREATE OPERATOR FAMILY %s;\n", qualified);
		if (members)
			ds_buf_printf(&b, "ALTER OPERATOR FAMILY %s ADD\n    %s;\n", qualified,
				      members);
		ds_capture_object(ctx, &b, "pg_opfamily", ds_capture_get_oid(res, i, idx[COL_OID]),
				  ds_capture_get(res, i, idx[COL_SCHEMA]), "operator_family",
				  ds_capture_get(res, i, idx[COL_NAME]));
	}

	PQclear(res);
	return 0;
}
