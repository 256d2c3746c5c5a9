/*
 * domain.c - capture domains:
 *
 *   CREATE DOMAIN s.d AS base_type [COLLATE c] [DEFAULT expr] [NOT NULL]
 *       [CONSTRAINT name CHECK (...)]...;
 *   [ALTER DOMAIN s.d ADD CONSTRAINT name CHECK (...) NOT VALID;]...
 *
 * The CHECK constraints are written with their names, in name order (the
 * order PostgreSQL checks them in). A constraint that was added NOT VALID
 * is added after the domain, as pg_dump does: CREATE DOMAIN has no NOT
 * VALID, and validating it would not reproduce the schema. A domain over a
 * domain names its base domain as base_type. Comments (on constraints too)
 * and privileges follow the domain, from attach.c.
 */
#include <stdlib.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

enum {
	D_OID,
	D_SCHEMA,
	D_NAME,
	D_QUALIFIED,
	D_BASE,
	D_COLLATION,
	D_DEFAULT,
	D_NOT_NULL,
	D_NCOLS
};
static const char *const domain_columns[D_NCOLS] = {
	"typid",     "schema_name",    "domain_name",  "qualified_name",
	"base_type", "collation_name", "default_expr", "not_null",
};

enum {
	K_OID,
	K_NAME,
	K_DEFINITION,
	K_VALIDATED,
	K_NCOLS
};
static const char *const constraint_columns[K_NCOLS] = {
	"typid",
	"constraint_name",
	"definition",
	"is_validated",
};

/*
 * The rows of res (sorted by the typid column) that belong to typid, as
 * [*begin, *end): domain_constraints.sql is ordered by typid first so that
 * the constraints of one domain are found by binary search.
 */
static void rows_of(const PGresult *res, int col, unsigned long typid, int *begin, int *end)
{
	int lo = 0, hi = PQntuples(res);
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ds_capture_get_oid(res, mid, col) < typid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*begin = lo;
	while (lo < PQntuples(res) && ds_capture_get_oid(res, lo, col) == typid)
		lo++;
	*end = lo;
}

static int render(ds_buf *b, const PGresult *dom, int d, const int *didx, const PGresult *con,
		  const int *kidx)
{
	const char *qualified = ds_capture_get(dom, d, didx[D_QUALIFIED]);
	const char *base = ds_capture_get(dom, d, didx[D_BASE]);
	const char *collation = ds_capture_get(dom, d, didx[D_COLLATION]);
	const char *default_expr = ds_capture_get(dom, d, didx[D_DEFAULT]);
	if (!base)
		return ds_error_set("domain %s: no base type", qualified);

	ds_buf_printf(b, "CREATE DOMAIN %s AS %s", qualified, base);
	if (collation)
		ds_buf_printf(b, " COLLATE %s", collation);
	if (default_expr)
		ds_buf_printf(b, " DEFAULT %s", default_expr);
	if (ds_capture_get_bool(dom, d, didx[D_NOT_NULL]))
		ds_buf_puts(b, " NOT NULL");

	int begin, end;
	rows_of(con, kidx[K_OID], ds_capture_get_oid(dom, d, didx[D_OID]), &begin, &end);
	for (int k = begin; k < end; k++)
		if (ds_capture_get_bool(con, k, kidx[K_VALIDATED]))
			ds_buf_printf(b, "\n    CONSTRAINT %s %s",
				      ds_capture_get(con, k, kidx[K_NAME]),
				      ds_capture_get(con, k, kidx[K_DEFINITION]));
	ds_buf_puts(b, ";\n");
	for (int k = begin; k < end; k++)
		if (!ds_capture_get_bool(con, k, kidx[K_VALIDATED]))
			ds_buf_printf(b, "ALTER DOMAIN %s ADD CONSTRAINT %s %s;\n", qualified,
				      ds_capture_get(con, k, kidx[K_NAME]),
				      ds_capture_get(con, k, kidx[K_DEFINITION]));
	return 0;
}

int ds_capture_domain(ds_capture_ctx *ctx)
{
	PGresult *dom = NULL, *con = NULL;
	int didx[D_NCOLS], kidx[K_NCOLS];
	int rc = ds_capture_query(ctx, &dom, ds_sql_capture_domain, domain_columns, D_NCOLS, didx);
	if (rc)
		return ds_error_wrap(rc, "reading domains");
	rc = ds_capture_query(ctx, &con, ds_sql_capture_domain_constraints, constraint_columns,
			      K_NCOLS, kidx);
	if (rc) {
		PQclear(dom);
		return ds_error_wrap(rc, "reading domain constraints");
	}

	for (int d = 0; !rc && d < PQntuples(dom); d++) {
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, dom, d, didx, con, kidx);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_object(ctx, &b, "pg_type", ds_capture_get_oid(dom, d, didx[D_OID]),
				  ds_capture_get(dom, d, didx[D_SCHEMA]), "domain",
				  ds_capture_get(dom, d, didx[D_NAME]));
	}
	PQclear(dom);
	PQclear(con);
	return rc;
}
