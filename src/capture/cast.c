/*
 * cast.c - capture the casts the user created (kind "cast", database-wide:
 * schema NULL, so they live under the snapshot's top-level %global folder):
 *
 *   CREATE CAST (text AS point) WITH INOUT AS ASSIGNMENT;
 *   CREATE CAST (integer AS s.t) WITH FUNCTION s.f(integer) [AS IMPLICIT];
 *   CREATE CAST (s.a AS s.b) WITHOUT FUNCTION;
 *
 * The object name is "source AS target". sql/capture/cast.sql decides which
 * casts belong to the captured schema (not pgGit's, not an extension's).
 * Comments follow from attach.c.
 */
#include <stdlib.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_NAME,
	COL_DEFINITION,
	NCOLS
};
static const char *const columns[NCOLS] = { "castid", "object_name", "definition" };

int ds_capture_cast(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_cast, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; !rc && i < PQntuples(res); i++) {
		const char *name = ds_capture_get(res, i, idx[COL_NAME]);
		const char *definition = ds_capture_get(res, i, idx[COL_DEFINITION]);
		if (!name || !definition) {
			rc = ds_error_set("cast %s: no definition", name ? name : "?");
			break;
		}
		ds_buf b = DS_BUF_INIT;
		ds_buf_printf(&b, "%s\n", definition);
		ds_capture_object(ctx, &b, "pg_cast", ds_capture_get_oid(res, i, idx[COL_OID]),
				  NULL, "cast", name);
	}

	PQclear(res);
	return rc;
}
