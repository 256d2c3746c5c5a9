/*
 * aggregate.c - capture aggregates (kind "aggregate"):
 *
 *   CREATE AGGREGATE s.agg(double precision ORDER BY anyelement) (
 *       SFUNC = ordered_set_transition,
 *       STYPE = internal,
 *       FINALFUNC = percentile_disc_final,
 *       FINALFUNC_EXTRA
 *   );
 *
 * Every option that differs from CREATE AGGREGATE's default is written, in
 * a fixed order (sql/capture/aggregate.sql builds the list). The object
 * name is "name(identity arguments)", as for functions, so that overloads
 * are separate objects; an aggregate of no arguments is created as
 * "agg(*)" but named "agg()". Comments and privileges follow from attach.c.
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

typedef struct {
	unsigned long oid;
	const char *schema; /* unquoted */
	const char *name; /* proname(identity arguments) */
	const char *qualified;
	const char *signature; /* the arguments for CREATE AGGREGATE */
	const char *options; /* "SFUNC = f,\n    STYPE = t..." */
} aggregate_info;

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_QUALIFIED,
	COL_SIGNATURE,
	COL_OPTIONS,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"aggid", "schema_name", "object_name", "qualified_name", "signature", "options",
};

static int render(ds_buf *b, const aggregate_info *a)
{
	/* SFUNC and STYPE are never missing: no options means a broken query. */
	if (!a->signature || !a->options)
		return ds_error_set("aggregate %s.%s: no definition", a->schema, a->name);
	ds_buf_printf(b, "CREATE AGGREGATE %s(%s) (\n    %s\n);\n", a->qualified, a->signature,
		      a->options);
	return 0;
}

int ds_capture_aggregate(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_aggregate, columns, NCOLS, idx);
	if (rc)
		return rc;

	int n = PQntuples(res);
	aggregate_info *aggs = ds_xcalloc((size_t)n, sizeof *aggs);
	for (int i = 0; i < n; i++) {
		aggs[i].oid = ds_capture_get_oid(res, i, idx[COL_OID]);
		aggs[i].schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		aggs[i].name = ds_capture_get(res, i, idx[COL_NAME]);
		aggs[i].qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		aggs[i].signature = ds_capture_get(res, i, idx[COL_SIGNATURE]);
		aggs[i].options = ds_capture_get(res, i, idx[COL_OPTIONS]);
	}
	for (int i = 0; !rc && i < n; i++) {
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, &aggs[i]);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_object(ctx, &b, "pg_proc", aggs[i].oid, aggs[i].schema, "aggregate",
				  aggs[i].name);
	}

	free(aggs);
	PQclear(res);
	return rc;
}
