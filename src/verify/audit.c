/*
 * audit.c - the audit trail against the commits: for every commit of the
 * chain, pggit_audit.changes holds exactly one row per object whose blob
 * differs from the parent's (CREATE, ALTER, DROP), with the old and new
 * definitions equal to those blobs, and no row for anything else; no audit
 * row names a commit outside the history.
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "verify/verify_int.h"

typedef struct {
	char *path;
	ds_oid old_blob, new_blob;
	int has_old, has_new;
} change;

typedef struct {
	change *items;
	size_t n;
} change_list;

static int add_change(const char *path, const ds_oid *old_blob, const ds_oid *new_blob,
		      void *payload)
{
	change_list *l = payload;
	l->items = ds_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
	change *c = &l->items[l->n++];
	memset(c, 0, sizeof *c);
	c->path = ds_xstrdup(path);
	if (old_blob) {
		c->old_blob = *old_blob;
		c->has_old = 1;
	}
	if (new_blob) {
		c->new_blob = *new_blob;
		c->has_new = 1;
	}
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const change *)a)->path, ((const change *)b)->path);
}

static const char *change_type(const change *c)
{
	return !c->has_old ? "CREATE" : !c->has_new ? "DROP" : "ALTER";
}

/* Does a definition column hold exactly the blob (or NULL for no blob)? */
static int same_definition(PGresult *res, int row, int col, int has_blob, const ds_oid *blob)
{
	if (PQgetisnull(res, row, col))
		return !has_blob;
	if (!has_blob)
		return 0;
	ds_oid actual;
	const char *text = PQgetvalue(res, row, col);
	ds_oid_hash(&actual, DS_OBJ_BLOB, text, strlen(text));
	return ds_oid_cmp(&actual, blob) == 0;
}

static void compare(ds_check *audit, const char *hex, const change_list *want, PGresult *rows)
{
	size_t i = 0;
	int j = 0, n = PQntuples(rows);
	while (i < want->n || j < n) {
		const change *c = i < want->n ? &want->items[i] : NULL;
		const char *path = j < n ? PQgetvalue(rows, j, 0) : NULL;
		int cmp = !c ? 1 : !path ? -1 : strcmp(c->path, path);
		if (cmp < 0) {
			ds_verify_finding(audit, "commit %.12s: no audit row for the %s of %s", hex,
					  change_type(c), c->path);
			i++;
			continue;
		}
		if (cmp > 0) {
			ds_verify_finding(audit,
					  "commit %.12s: audit row for %s, which the commit does not "
					  "change",
					  hex, path);
			j++;
			continue;
		}
		audit->checked++;
		if (strcmp(PQgetvalue(rows, j, 1), change_type(c)) != 0)
			ds_verify_finding(audit, "commit %.12s: %s is recorded as %s, the commit %ss it",
					  hex, path, PQgetvalue(rows, j, 1), change_type(c));
		if (!same_definition(rows, j, 2, c->has_old, &c->old_blob))
			ds_verify_finding(audit,
					  "commit %.12s: old_definition of %s differs from the parent's "
					  "blob",
					  hex, path);
		if (!same_definition(rows, j, 3, c->has_new, &c->new_blob))
			ds_verify_finding(audit,
					  "commit %.12s: new_definition of %s differs from the commit's "
					  "blob",
					  hex, path);
		for (j++; j < n && strcmp(PQgetvalue(rows, j, 0), path) == 0; j++)
			ds_verify_finding(audit, "commit %.12s: %s has more than one audit row", hex,
					  path);
		i++;
	}
}

static int check_commit(ds_verifier *v, ds_check *audit, size_t k)
{
	const ds_vcommit *c = &v->commits[v->chain[k]];
	const ds_oid *parent = k ? &v->commits[v->chain[k - 1]].tree : NULL;
	change_list want = {0};
	char hex[DS_OID_HEXSZ + 1];
	PGresult *rows = NULL;

	ds_oid_fmt(hex, &c->oid);
	int rc = ds_verify_tree_diff(v, parent, &c->tree, add_change, &want);
	if (rc == DS_ENOTFOUND || rc == DS_EINVALID) {
		/* a damaged tree: the trees check names it */
		ds_verify_finding(audit, "commit %.12s: cannot compare: %s", hex, ds_error_last());
		rc = 0;
	} else if (rc == 0) {
		if (want.n) /* a commit may change nothing captured: no list at all */
			qsort(want.items, want.n, sizeof *want.items, by_path);
		const char *params[] = {hex};
		rc = ds_db_query(v->target, &rows, ds_sql_verify_audit_rows, 1, params);
		if (rc == 0)
			compare(audit, hex, &want, rows);
	}
	PQclear(rows);
	for (size_t i = 0; i < want.n; i++)
		free(want.items[i].path);
	free(want.items);
	return rc;
}

/* Diffs read ahead together (ds_verify_tree_prefetch), a round trip per level. */
#define PREFETCH 64

static int prefetch(ds_verifier *v, size_t from)
{
	const ds_oid *olds[PREFETCH];
	ds_oid news[PREFETCH];
	size_t n = 0;
	for (size_t k = from; k < v->nchain && n < PREFETCH; k++, n++) {
		olds[n] = k ? &v->commits[v->chain[k - 1]].tree : NULL;
		news[n] = v->commits[v->chain[k]].tree;
	}
	return ds_verify_tree_prefetch(v, olds, news, n);
}

int ds_verify_audit(ds_verifier *v)
{
	ds_check *audit = ds_verify_new_check(v, "audit");
	PGresult *res;
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < v->nchain; k++) {
		if (k % PREFETCH == 0)
			rc = prefetch(v, k);
		if (rc == 0)
			rc = check_commit(v, audit, k);
	}
	if (rc)
		return ds_error_wrap(rc, "checking the audit rows");

	rc = ds_db_query(v->target, &res, ds_sql_verify_audit_commits, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading pggit_audit.changes");
	for (int i = 0; i < PQntuples(res); i++) {
		ds_oid oid;
		const ds_vcommit *c = ds_oid_parse(&oid, PQgetvalue(res, i, 0)) == 0
					      ? ds_verify_commit(v, &oid)
					      : NULL;
		if (!c)
			ds_verify_finding(audit, "audit rows name %s, which is not a stored commit",
					  PQgetvalue(res, i, 0));
	}
	PQclear(res);
	ds_buf_printf(&audit->summary,
		      "%zu audit rows are exactly the object changes of %zu commits, "
		      "definitions included",
		      audit->checked, v->nchain);
	return 0;
}
