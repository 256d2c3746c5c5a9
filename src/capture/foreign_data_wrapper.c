/*
 * foreign_data_wrapper.c - capture foreign-data wrappers (database-wide,
 * %global/foreign_data_wrapper/):
 *
 *   CREATE FOREIGN DATA WRAPPER name [HANDLER s.f] [VALIDATOR s.f]
 *       [OPTIONS (name 'value', ...)];
 *
 * Options sorted by name (foreign_data_wrapper.sql says why). Wrappers an
 * extension made (postgres_fdw, file_fdw) come with CREATE EXTENSION and
 * are not captured; privileges, comments and owners follow from attach.c.
 */
#include "capture_int.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_NAME,
	COL_QUOTED,
	COL_HANDLER,
	COL_VALIDATOR,
	COL_OPTIONS,
	NCOLS
};
static const char *const columns[NCOLS] = { "fdw_oid", "fdw_name",  "quoted_name",
					    "handler", "validator", "options" };

int ds_capture_foreign_data_wrapper(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_foreign_data_wrapper, columns, NCOLS,
				  idx);
	if (rc)
		return rc;

	for (int i = 0; i < PQntuples(res); i++) {
		const char *handler = ds_capture_get(res, i, idx[COL_HANDLER]);
		const char *validator = ds_capture_get(res, i, idx[COL_VALIDATOR]);
		const char *options = ds_capture_get(res, i, idx[COL_OPTIONS]);
		ds_buf b = DS_BUF_INIT;

		ds_buf_printf(&b, "CREATE FOREIGN DATA WRAPPER %s",
			      PQgetvalue(res, i, idx[COL_QUOTED]));
		if (handler)
			ds_buf_printf(&b, " HANDLER %s", handler);
		if (validator)
			ds_buf_printf(&b, " VALIDATOR %s", validator);
		if (options)
			ds_buf_printf(&b, " OPTIONS (%s)", options);
		ds_buf_puts(&b, ";\n");
		ds_capture_object(ctx, &b, "pg_foreign_data_wrapper",
				  ds_capture_get_oid(res, i, idx[COL_OID]), NULL,
				  "foreign_data_wrapper", PQgetvalue(res, i, idx[COL_NAME]));
	}
	PQclear(res);
	return 0;
}
