/*
 * coverage.c - the store against the v1 history: every pggit.history row
 * (and archived row) is covered by exactly one commit (its History-Id
 * trailer, mirrored in commit_graph.history_ids) or one recorded failure;
 * the store claims no row v1 does not have; along the chain the rows come in
 * replay order, (created_at, id); and no commit covers no row, except a
 * baseline root commit (convert --baseline).
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/history.h"
#include "ddlsnap_sql.h"
#include "verify/verify_int.h"

typedef struct {
	int64_t id;
	int64_t position;
} id_pos;

static int cmp_id(const void *a, const void *b)
{
	int64_t x = ((const id_pos *)a)->id, y = ((const id_pos *)b)->id;
	return x < y ? -1 : x > y;
}

static void check_set(ds_check *cov, PGresult *ids, PGresult *covered)
{
	int ni = PQntuples(ids), nc = PQntuples(covered), i = 0, j = 0;
	while (i < ni || j < nc) {
		long long a = i < ni ? atoll(PQgetvalue(ids, i, 0)) : 0;
		long long b = j < nc ? atoll(PQgetvalue(covered, j, 0)) : 0;
		if (j >= nc || (i < ni && a < b)) {
			ds_verify_finding(cov,
					  "history %lld is covered by no commit and no recorded "
					  "failure",
					  a);
			i++;
		} else if (i >= ni || b < a) {
			ds_verify_finding(cov,
					  "history %lld is claimed by the store but is not in the v1 "
					  "history",
					  b);
			j++;
		} else {
			cov->checked++;
			j++;
			while (j < nc && atoll(PQgetvalue(covered, j, 0)) == a) {
				ds_verify_finding(cov, "history %lld is covered more than once", a);
				j++;
			}
			i++;
		}
	}
}

/*
 * The root commit convert --baseline makes: no parent, no history row, and
 * its message says so.
 */
static int is_baseline(const ds_vcommit *c)
{
	static const char subject[] = "\n\nBaseline: the schema before the history\n";
	if (c->nparents != 0 || !c->body)
		return 0;
	for (size_t i = 0; i + sizeof subject - 1 <= c->body_len; i++)
		if (memcmp(c->body + i, "\n\n", 2) == 0)
			return memcmp(c->body + i, subject, sizeof subject - 1) == 0;
	return 0;
}

/* Along the chain, every commit's rows come after the previous commit's. */
static void check_order(ds_verifier *v, ds_check *cov, PGresult *ids)
{
	size_t n = (size_t)PQntuples(ids);
	id_pos *pos = ds_xcalloc(n, sizeof *pos);
	for (size_t i = 0; i < n; i++) {
		pos[i].id = atoll(PQgetvalue(ids, (int)i, 0));
		pos[i].position = atoll(PQgetvalue(ids, (int)i, 1));
	}
	int64_t last = 0;
	for (size_t k = 0; k < v->nchain; k++) {
		const ds_vcommit *c = &v->commits[v->chain[k]];
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, &c->oid);
		if (c->nhistory_ids == 0 && !(k == 0 && is_baseline(c)))
			ds_verify_finding(cov, "commit %.12s covers no v1 history row", hex);
		for (size_t h = 0; h < c->nhistory_ids; h++) {
			id_pos key = {c->history_ids[h], 0};
			const id_pos *p = bsearch(&key, pos, n, sizeof key, cmp_id);
			if (!p)
				continue; /* named by check_set */
			if (p->position <= last)
				ds_verify_finding(cov,
						  "commit %.12s covers history %lld out of replay "
						  "order",
						  hex, (long long)p->id);
			last = p->position;
		}
	}
	free(pos);
}

int ds_verify_coverage(ds_verifier *v)
{
	ds_check *cov = ds_verify_new_check(v, "coverage");
	PGresult *ids, *covered;
	char *sql = ds_history_sql(ds_sql_verify_history_ids, v->has_archive);
	int rc = ds_db_query(v->source, &ids, sql, 0, NULL);
	free(sql);
	if (rc)
		return ds_error_wrap(rc, "reading the v1 history ids");
	rc = ds_db_query(v->target, &covered, ds_sql_verify_covered_ids, 0, NULL);
	if (rc) {
		PQclear(ids);
		return ds_error_wrap(rc, "reading the covered history ids");
	}
	check_set(cov, ids, covered);
	check_order(v, cov, ids);
	ds_buf_printf(&cov->summary,
		      "%zu of %d v1 rows covered by exactly one commit or recorded failure, "
		      "in replay order",
		      cov->checked, PQntuples(ids));
	PQclear(ids);
	PQclear(covered);
	return 0;
}
