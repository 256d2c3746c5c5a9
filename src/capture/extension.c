/*
 * extension.c - capture extensions (database-wide, %global/extension/):
 *
 *   CREATE EXTENSION IF NOT EXISTS name WITH SCHEMA s VERSION 'v';
 *
 * followed by its comment: attach.c writes whatever the catalog holds, and
 * "COMMENT ON EXTENSION name IS NULL;" says that the comment CREATE
 * EXTENSION takes from the control file was removed.
 *
 * VERSION is written, unlike pg_dump, which leaves it out so that a restore
 * installs whatever version the target server defaults to. A snapshot is a
 * record of the schema: the members of an extension depend on its version,
 * so ALTER EXTENSION ... UPDATE is a change of the extension's text and a
 * checkout reproduces the members exactly, or fails loudly on a server that
 * cannot install that version. IF NOT EXISTS because an extension may
 * already be there (created by CASCADE, or installed in template1).
 *
 * Members are never captured; privileges the user changed on them since
 * the extension's script ran are, as pg_dump keeps them too: attach.sql
 * files them under the extension, after its CREATE. Which extensions are
 * captured: extension.sql.
 */
#include <stdlib.h>

#include "capture_int.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_NAME,
	COL_QUOTED,
	COL_SCHEMA,
	COL_VERSION,
	COL_DROP_COMMENT,
	NCOLS
};
static const char *const columns[NCOLS] = { "ext_oid",	   "ext_name", "quoted_name",
					    "schema_name", "version",  "drop_comment" };

int ds_capture_extension(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_extension, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; i < PQntuples(res); i++) {
		ds_buf b = DS_BUF_INIT;
		ds_buf_printf(&b, "CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s VERSION %s;\n",
			      PQgetvalue(res, i, idx[COL_QUOTED]),
			      PQgetvalue(res, i, idx[COL_SCHEMA]),
			      PQgetvalue(res, i, idx[COL_VERSION]));
		if (ds_capture_get_bool(res, i, idx[COL_DROP_COMMENT]))
			ds_buf_printf(&b, "COMMENT ON EXTENSION %s IS NULL;\n",
				      PQgetvalue(res, i, idx[COL_QUOTED]));
		ds_capture_object(ctx, &b, "pg_extension", ds_capture_get_oid(res, i, idx[COL_OID]),
				  NULL, "extension", PQgetvalue(res, i, idx[COL_NAME]));
	}
	PQclear(res);
	return 0;
}
