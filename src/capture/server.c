/*
 * server.c - capture foreign servers (database-wide, %global/server/):
 *
 *   CREATE SERVER name [TYPE 'type'] [VERSION 'version']
 *       FOREIGN DATA WRAPPER fdw [OPTIONS (name 'value', ...)];
 *
 * Options sorted by name (foreign_data_wrapper.sql says why); privileges,
 * comments and owners follow from attach.c. User mappings are not captured:
 * their options hold passwords, which must not end up in a git history
 * (uncaptured.sql lists them, so the caller warns).
 */
#include "capture_int.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_NAME,
	COL_QUOTED,
	COL_TYPE,
	COL_VERSION,
	COL_FDW,
	COL_OPTIONS,
	NCOLS
};
static const char *const columns[NCOLS] = { "srv_oid",	   "srv_name",	     "quoted_name",
					    "server_type", "server_version", "fdw_name",
					    "options" };

int ds_capture_server(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_server, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; i < PQntuples(res); i++) {
		const char *type = ds_capture_get(res, i, idx[COL_TYPE]);
		const char *version = ds_capture_get(res, i, idx[COL_VERSION]);
		const char *options = ds_capture_get(res, i, idx[COL_OPTIONS]);
		ds_buf b = DS_BUF_INIT;

		ds_buf_printf(&b, "CREATE SERVER %s", PQgetvalue(res, i, idx[COL_QUOTED]));
		if (type)
			ds_buf_printf(&b, " TYPE %s", type);
		if (version)
			ds_buf_printf(&b, " VERSION %s", version);
		ds_buf_printf(&b, " FOREIGN DATA WRAPPER %s", PQgetvalue(res, i, idx[COL_FDW]));
		if (options)
			ds_buf_printf(&b, " OPTIONS (%s)", options);
		ds_buf_puts(&b, ";\n");
		ds_capture_object(ctx, &b, "pg_foreign_server",
				  ds_capture_get_oid(res, i, idx[COL_OID]), NULL, "server",
				  PQgetvalue(res, i, idx[COL_NAME]));
	}
	PQclear(res);
	return 0;
}
