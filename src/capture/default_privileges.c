/*
 * default_privileges.c - capture default privileges, one text per entry of
 * pg_default_acl (a role and a kind of object, database-wide or in one
 * schema), named "<role> on <tables|sequences|functions|types|schemas>":
 *
 *   ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] GRANT ... ON TABLES TO g;
 *   ALTER DEFAULT PRIVILEGES FOR ROLE r REVOKE ... ON FUNCTIONS FROM PUBLIC;
 *
 * An entry of a tracked schema lives under that schema, a database-wide
 * one under %global. The statements are the difference between the entry
 * and PostgreSQL's starting point (default_privileges.sql), so that an
 * entry ALTER DEFAULT PRIVILEGES brought back to the default, which
 * PostgreSQL deletes, is also gone from the snapshot. The role is always
 * named, also without --with-owners: it is what the entry is about.
 */
#include "capture_int.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_STATEMENTS,
	NCOLS
};
static const char *const columns[NCOLS] = { "entry_oid", "schema_name", "entry_name",
					    "statements" };

int ds_capture_default_privileges(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc =
		ds_capture_query(ctx, &res, ds_sql_capture_default_privileges, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; i < PQntuples(res); i++) {
		const char *statements = ds_capture_get(res, i, idx[COL_STATEMENTS]);
		if (!statements) {
			/* An entry equal to the default: PostgreSQL removes those itself. */
			continue;
		}
		ds_capture_add(ctx->out, ds_capture_get_oid(res, i, idx[COL_OID]),
			       ds_capture_get(res, i, idx[COL_SCHEMA]), "default_privileges",
			       PQgetvalue(res, i, idx[COL_NAME]), ds_xstrdup(statements));
	}
	PQclear(res);
	return 0;
}
