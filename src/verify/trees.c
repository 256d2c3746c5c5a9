/*
 * trees.c - tree diffs over the store's trees, for the checks that compare
 * a commit with its parent (audit, meaning). Tree bodies are read once and
 * kept: a history's trees share most of their subtrees, and the diff skips
 * every pair of equal subtrees without looking inside.
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "verify/verify_int.h"

static int cmp_tree(const void *a, const void *b)
{
	return ds_oid_cmp(&((const ds_vtree *)a)->oid, &((const ds_vtree *)b)->oid);
}

static int load_trees(ds_verifier *v)
{
	PGresult *res = PQexecParams(v->target, ds_sql_verify_trees, 0, NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		int rc = ds_db_error(v->target, res, "reading the trees");
		PQclear(res);
		return rc;
	}
	v->ntrees = (size_t)PQntuples(res);
	v->trees = ds_xcalloc(v->ntrees, sizeof *v->trees);
	for (size_t i = 0; i < v->ntrees; i++) {
		char hex[DS_OID_HEXSZ + 1];
		snprintf(hex, sizeof hex, "%.*s", PQgetlength(res, (int)i, 0),
			 PQgetvalue(res, (int)i, 0));
		ds_oid_parse(&v->trees[i].oid, hex);
		v->trees[i].len = (size_t)PQgetlength(res, (int)i, 1);
		v->trees[i].body = ds_xmalloc(v->trees[i].len + 1);
		memcpy(v->trees[i].body, PQgetvalue(res, (int)i, 1), v->trees[i].len);
	}
	PQclear(res);
	qsort(v->trees, v->ntrees, sizeof *v->trees, cmp_tree);
	v->trees_loaded = 1;
	return 0;
}

typedef struct {
	ds_tree_entry *items;
	char **names;
	size_t n;
} entry_list;

static int collect(const ds_tree_entry *e, void *payload)
{
	entry_list *l = payload;
	l->items = ds_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
	l->names = ds_xrealloc(l->names, (l->n + 1) * sizeof *l->names);
	l->names[l->n] = ds_xstrdup(e->name);
	l->items[l->n] = *e;
	l->items[l->n].name = l->names[l->n];
	l->n++;
	return 0;
}

static void entry_list_free(entry_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->items);
}

static int read_tree(ds_verifier *v, const ds_oid *oid, entry_list *out)
{
	memset(out, 0, sizeof *out);
	if (!oid)
		return 0;
	ds_vtree key = {.oid = *oid};
	const ds_vtree *t = bsearch(&key, v->trees, v->ntrees, sizeof key, cmp_tree);
	if (!t) {
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, oid);
		return ds_error_setc(DS_ENOTFOUND, "tree %s is missing from the store", hex);
	}
	int rc = ds_tree_parse(t->body, t->len, collect, out);
	if (rc) {
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, oid);
		entry_list_free(out);
		return ds_error_setc(DS_EINVALID, "tree %s is malformed", hex);
	}
	return 0;
}

typedef int (*diff_cb)(const char *, const ds_oid *, const ds_oid *, void *);

static int diff(ds_verifier *v, const ds_oid *a, const ds_oid *b, ds_buf *prefix, diff_cb cb,
		void *payload);

/* One side of an entry pair: a blob is reported, a tree is descended into. */
static int diff_entry(ds_verifier *v, const ds_tree_entry *old, const ds_tree_entry *new_,
		      ds_buf *prefix, diff_cb cb, void *payload)
{
	size_t keep = prefix->len;
	const ds_tree_entry *e = old ? old : new_;
	int old_tree = old && old->mode == DS_MODE_TREE;
	int new_tree = new_ && new_->mode == DS_MODE_TREE;
	int rc = 0;

	if (old && new_ && old->mode == new_->mode && ds_oid_cmp(&old->oid, &new_->oid) == 0)
		return 0;
	ds_buf_puts(prefix, e->name);
	if (old_tree || new_tree) {
		ds_buf_putc(prefix, '/');
		rc = diff(v, old_tree ? &old->oid : NULL, new_tree ? &new_->oid : NULL, prefix, cb,
			  payload);
	}
	if (rc == 0 && ((old && !old_tree) || (new_ && !new_tree))) {
		prefix->len = keep;
		ds_buf_puts(prefix, e->name);
		rc = cb(prefix->ptr, old && !old_tree ? &old->oid : NULL,
			new_ && !new_tree ? &new_->oid : NULL, payload);
	}
	prefix->len = keep;
	prefix->ptr[keep] = '\0';
	return rc;
}

static int diff(ds_verifier *v, const ds_oid *a, const ds_oid *b, ds_buf *prefix, diff_cb cb,
		void *payload)
{
	entry_list la, lb;
	int rc = read_tree(v, a, &la);
	if (rc)
		return rc;
	rc = read_tree(v, b, &lb);
	if (rc) {
		entry_list_free(&la);
		return rc;
	}
	size_t i = 0, j = 0;
	while (rc == 0 && (i < la.n || j < lb.n)) {
		int c = i >= la.n ? 1 : j >= lb.n ? -1 : strcmp(la.items[i].name, lb.items[j].name);
		if (c < 0)
			rc = diff_entry(v, &la.items[i++], NULL, prefix, cb, payload);
		else if (c > 0)
			rc = diff_entry(v, NULL, &lb.items[j++], prefix, cb, payload);
		else
			rc = diff_entry(v, &la.items[i++], &lb.items[j++], prefix, cb, payload);
	}
	entry_list_free(&la);
	entry_list_free(&lb);
	return rc;
}

int ds_verify_tree_diff(ds_verifier *v, const ds_oid *old_tree, const ds_oid *new_tree,
			diff_cb cb, void *payload)
{
	if (!v->trees_loaded) {
		int rc = load_trees(v);
		if (rc)
			return rc;
	}
	if (old_tree && new_tree && ds_oid_cmp(old_tree, new_tree) == 0)
		return 0;
	ds_buf prefix = DS_BUF_INIT;
	ds_buf_puts(&prefix, "");
	int rc = diff(v, old_tree, new_tree, &prefix, cb, payload);
	ds_buf_free(&prefix);
	return rc;
}

int ds_verify_blob(ds_verifier *v, const ds_oid *oid, ds_buf *out)
{
	char hex[DS_OID_HEXSZ + 1];
	ds_oid_fmt(hex, oid);
	const char *params[] = {hex};
	const int formats[] = {0};
	PGresult *res = PQexecParams(v->target, ds_sql_verify_blob, 1, NULL, params, NULL, formats, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		int rc = ds_db_error(v->target, res, "reading a blob");
		PQclear(res);
		return rc;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ds_error_setc(DS_ENOTFOUND, "blob %s is missing from the store", hex);
	}
	ds_buf_clear(out);
	ds_buf_put(out, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return 0;
}
