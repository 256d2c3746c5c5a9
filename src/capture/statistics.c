/*
 * statistics.c - capture extended statistics objects (kind "statistics"):
 *
 *   CREATE STATISTICS s.st (ndistinct, dependencies) ON a, (b + c) FROM s.t;
 *   ALTER STATISTICS s.st SET STATISTICS 500;     when the target was set
 *
 * The object belongs to its own schema, which need not be its table's.
 * Comments follow from attach.c.
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
	COL_DEFINITION,
	COL_STATTARGET,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"statid", "schema_name", "statistics_name", "qualified_name", "definition", "stattarget",
};

int ds_capture_statistics(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_statistics, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; !rc && i < PQntuples(res); i++) {
		const char *schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		const char *name = ds_capture_get(res, i, idx[COL_NAME]);
		const char *qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		const char *definition = ds_capture_get(res, i, idx[COL_DEFINITION]);
		const char *target = ds_capture_get(res, i, idx[COL_STATTARGET]);
		if (!definition) {
			rc = ds_error_set("statistics %s: no definition", qualified);
			break;
		}
		ds_buf b = DS_BUF_INIT;
		ds_buf_printf(&b, "%s;\n", definition);
		if (target)
			ds_buf_printf(&b, "ALTER STATISTICS %s SET STATISTICS %s;\n", qualified,
				      target);
		ds_capture_object(ctx, &b, "pg_statistic_ext",
				  ds_capture_get_oid(res, i, idx[COL_OID]), schema, "statistics",
				  name);
	}

	PQclear(res);
	return rc;
}
