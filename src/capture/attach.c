/*
 * attach.c - comments, privileges and owners, read once for the whole
 * database and appended to the text of the object that holds them (see
 * capture_int.h and sql/capture/attach.sql).
 *
 * The query returns its rows sorted by (holder catalog, holder OID), so an
 * object's statements are one run of rows found by binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

struct ds_attach {
	PGresult *res;
	int idx[5];
};

enum {
	COL_CATALOG,
	COL_OID,
	COL_SECTION,
	COL_STATEMENT,
	COL_ABOUT_OWNER,
	NCOLS
};
static const char *const columns[NCOLS] = { "holder_catalog", "holder_oid", "section",
					    "statement", "about_owner" };

int ds_capture_attach_gather(ds_capture_ctx *ctx)
{
	ds_attach *a = ds_xcalloc(1, sizeof *a);
	int rc = ds_capture_query(ctx, &a->res, ds_sql_capture_attach, columns, NCOLS, a->idx);
	if (rc) {
		free(a);
		return ds_error_wrap(rc, "reading comments, privileges and owners");
	}
	ctx->attach = a;
	return 0;
}

void ds_capture_attach_free(ds_capture_ctx *ctx)
{
	if (!ctx->attach)
		return;
	PQclear(ctx->attach->res);
	free(ctx->attach);
	ctx->attach = NULL;
}

/* Compare row r's holder with (catalog, objid), as the query sorts them. */
static int cmp_row(const ds_attach *a, int r, const char *catalog, unsigned long objid)
{
	int c = strcmp(PQgetvalue(a->res, r, a->idx[COL_CATALOG]), catalog);
	if (c)
		return c;
	unsigned long oid = ds_capture_get_oid(a->res, r, a->idx[COL_OID]);
	return oid < objid ? -1 : oid > objid;
}

void ds_capture_attach(ds_capture_ctx *ctx, ds_buf *b, const char *catalog, unsigned long objid)
{
	const ds_attach *a = ctx->attach;
	if (!a)
		return;
	int lo = 0, hi = PQntuples(a->res);
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (cmp_row(a, mid, catalog, objid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int r = lo; r < PQntuples(a->res) && cmp_row(a, r, catalog, objid) == 0; r++) {
		if (!ctx->opts->with_owners && ds_capture_get_bool(a->res, r, a->idx[COL_ABOUT_OWNER]))
			continue;
		ds_buf_puts(b, PQgetvalue(a->res, r, a->idx[COL_STATEMENT]));
		ds_buf_putc(b, '\n');
	}
}
