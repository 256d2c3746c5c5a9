/*
 * uncaptured.c - list what ddlsnap does not capture yet, so the caller can
 * warn about it: nothing of a tracked schema is dropped silently.
 *
 * sql/capture/uncaptured.sql returns one row per object: base and shell
 * types, materialized views, partitioned tables and partitions (and the
 * sequences their serial columns own), inheritance of captured tables and
 * foreign tables, table settings CREATE TABLE does not carry yet,
 * triggers, rules, policies and row level security, aggregates,
 * operators and operator classes and families, conversions, statistics
 * objects, text search objects, and the database-wide objects (schema
 * NULL): subscriptions, user mappings (never captured: they hold
 * passwords), casts, languages, transforms and access methods created by
 * the user. Extension members and what serves pgGit
 * are not listed: they are never captured.
 */
#include "capture_int.h"
#include "ddlsnap_sql.h"

enum {
	COL_SCHEMA,
	COL_KIND,
	COL_NAME,
	NCOLS
};
static const char *const columns[NCOLS] = { "schema_name", "kind", "object_name" };

int ds_capture_uncaptured(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_uncaptured, columns, NCOLS, idx);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *kind = ds_capture_get(res, i, idx[COL_KIND]);
		const char *name = ds_capture_get(res, i, idx[COL_NAME]);
		ds_capture_add_skipped(ctx->out, ds_capture_get(res, i, idx[COL_SCHEMA]),
				       kind ? kind : "object", name ? name : "");
	}
	PQclear(res);
	return 0;
}
