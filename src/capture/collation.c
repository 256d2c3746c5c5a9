/*
 * collation.c - capture collations:
 *
 *   CREATE COLLATION s.c (provider = icu, locale = 'und-u-ks-level2'[,
 *       deterministic = false]);
 *   CREATE COLLATION s.c (provider = libc, lc_collate = 'C', lc_ctype = 'C.UTF-8');
 *
 * A libc collation whose lc_collate and lc_ctype agree is written with one
 * locale, as CREATE COLLATION ... FROM or (locale = ...) made it. The
 * collation's version is not schema (see collation.sql) and is never
 * written: a checkout records the version of its own server's library.
 * Comments and the owner follow the collation, from attach.c.
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_QUALIFIED,
	COL_PROVIDER,
	COL_DETERMINISTIC,
	COL_LOCALE,
	COL_COLLATE,
	COL_CTYPE,
	COL_RULES,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"collid",	    "schema_name", "coll_name",	 "qualified_name", "provider",
	"is_deterministic", "locale",	   "lc_collate", "lc_ctype",	   "icu_rules",
};

/* Append ", key = value", value being an SQL literal already. */
static void put_option(ds_buf *b, const char *key, const char *literal)
{
	ds_buf_printf(b, ", %s = %s", key, literal);
}

static int render(ds_buf *b, const PGresult *res, int r, const int *idx)
{
	const char *qualified = ds_capture_get(res, r, idx[COL_QUALIFIED]);
	const char *provider = ds_capture_get(res, r, idx[COL_PROVIDER]);
	const char *locale = ds_capture_get(res, r, idx[COL_LOCALE]);
	const char *collate = ds_capture_get(res, r, idx[COL_COLLATE]);
	const char *ctype = ds_capture_get(res, r, idx[COL_CTYPE]);
	const char *rules = ds_capture_get(res, r, idx[COL_RULES]);

	ds_buf_printf(b, "CREATE COLLATION %s (provider = %s", qualified, provider);
	/* The ICU (and builtin) locale has its own column; libc's is the pair. */
	if (locale)
		put_option(b, "locale", locale);
	else if (collate && ctype && strcmp(collate, ctype) == 0)
		put_option(b, "locale", collate);
	else if (collate && ctype) {
		put_option(b, "lc_collate", collate);
		put_option(b, "lc_ctype", ctype);
	} else
		return ds_error_set("collation %s: no locale", qualified);
	if (rules && strcmp(rules, "''") != 0)
		put_option(b, "rules", rules);
	if (!ds_capture_get_bool(res, r, idx[COL_DETERMINISTIC]))
		ds_buf_puts(b, ", deterministic = false");
	ds_buf_puts(b, ");\n");
	return 0;
}

int ds_capture_collation(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_collation, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int r = 0; !rc && r < PQntuples(res); r++) {
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, res, r, idx);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_object(ctx, &b, "pg_collation", ds_capture_get_oid(res, r, idx[COL_OID]),
				  ds_capture_get(res, r, idx[COL_SCHEMA]), "collation",
				  ds_capture_get(res, r, idx[COL_NAME]));
	}
	PQclear(res);
	return rc;
}
