/*
 * attach.c - comments, privileges and owners, read once for the whole
 * database and appended to the text of the object that holds them (see
 * capture_int.h and sql/capture/attach.sql).
 *
 * The query returns its rows sorted by (holder catalog, holder OID), so an
 * object's statements are one run of rows found by binary search.
 *
 * A scoped capture runs attach.sql without the branches that serve none of
 * its groups (the regions "UNION ALL -- for: GROUP..."): its generic plan
 * starts every node of every branch it has, which cost more than reading
 * the few rows of a scope of one table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

/* A region of attach.sql: [start, end), and the words after its marker. */
typedef struct {
	size_t start, end;
	const char *groups; /* to the end of the marker's line */
	size_t groups_len;
} region;

/* The regions, found once; markers past the 64th are not regions (their
 * branches are always kept). */
#define MAX_REGIONS 64
static region regions[MAX_REGIONS];
static size_t nregions;
static bool regions_found;

/* The texts built so far, one per set of kept regions: a text's address
 * is its prepared statement's key, so each is built once per process. */
typedef struct {
	uint64_t kept;
	char *sql;
} variant;
static variant *variants;
static size_t nvariants;

static const char marker[] = "UNION ALL -- for:";

static size_t indent_of(const char *line)
{
	size_t n = 0;
	while (line[n] == ' ')
		n++;
	return n;
}

/* The offset of the line after the one at p. */
static size_t next_line(const char *sql, size_t p)
{
	const char *nl = strchr(sql + p, '\n');
	return nl ? (size_t)(nl - sql) + 1 : strlen(sql);
}

/* A region runs to the next UNION ALL at its indentation, or to the first
 * (non-blank) line indented less. */
static size_t region_end(const char *sql, size_t from, size_t indent)
{
	size_t p = from;
	while (sql[p]) {
		const char *line = sql + p;
		size_t in = indent_of(line);
		if (line[in] != '\n' && line[in] != '\0' &&
		    (in < indent || (in == indent && strncmp(line + in, "UNION ALL", 9) == 0)))
			break;
		p = next_line(sql, p);
	}
	return p;
}

static void find_regions(void)
{
	const char *sql = ds_sql_capture_attach;
	for (size_t p = 0; sql[p] && nregions < MAX_REGIONS; p = next_line(sql, p)) {
		size_t in = indent_of(sql + p);
		if (strncmp(sql + p + in, marker, sizeof marker - 1) != 0)
			continue;
		region *r = &regions[nregions++];
		r->start = p;
		r->groups = sql + p + in + sizeof marker - 1;
		r->groups_len = strcspn(r->groups, "\n");
		r->end = region_end(sql, next_line(sql, p), in);
	}
	regions_found = true;
}

/* Whether the marker's words name one of scope's groups. */
static bool serves(const region *r, const ds_capture_scope *scope)
{
	for (size_t g = 0; g < scope->ngroups; g++) {
		size_t len = strlen(scope->groups[g]);
		for (const char *w = r->groups; w < r->groups + r->groups_len;) {
			w += strspn(w, " ");
			size_t wl = strcspn(w, " \n");
			if (wl == len && strncmp(w, scope->groups[g], len) == 0)
				return true;
			w += wl;
		}
	}
	return false;
}

/* attach.sql without the regions not in kept (nested ones go with theirs). */
static char *build(uint64_t kept)
{
	const char *sql = ds_sql_capture_attach;
	ds_buf b = DS_BUF_INIT;
	size_t pos = 0;
	for (size_t i = 0; i < nregions; i++) {
		if (kept & (UINT64_C(1) << i))
			continue;
		if (regions[i].start >= pos)
			ds_buf_put(&b, sql + pos, regions[i].start - pos);
		if (regions[i].end > pos)
			pos = regions[i].end;
	}
	ds_buf_puts(&b, sql + pos);
	return ds_buf_detach(&b);
}

const char *ds_capture_attach_sql(const ds_capture_scope *scope, size_t *number)
{
	*number = 0;
	if (!scope)
		return ds_sql_capture_attach;
	if (!regions_found)
		find_regions();
	uint64_t kept = 0;
	for (size_t i = 0; i < nregions; i++)
		if (serves(&regions[i], scope))
			kept |= UINT64_C(1) << i;
	size_t v = 0;
	while (v < nvariants && variants[v].kept != kept)
		v++;
	if (v == nvariants) {
		variants = ds_xrealloc(variants, (nvariants + 1) * sizeof *variants);
		variants[nvariants++] = (variant){ kept, build(kept) };
	}
	*number = v + 1;
	return variants[v].sql;
}

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
	int rc = ds_capture_query(ctx, &a->res, ctx->attach_sql ? ctx->attach_sql : ds_sql_capture_attach,
				  columns, NCOLS, a->idx);
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
