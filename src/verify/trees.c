/*
 * trees.c - tree diffs over the store's trees, for the checks that compare
 * a commit with its parent (audit, meaning). A diff skips every pair of
 * equal subtrees without looking inside, so it reads only the trees on the
 * paths that changed.
 *
 * Trees are read from the store when a diff needs one and kept in a cache of
 * a fixed number of slots, one tree each, the slot chosen by the tree's id:
 * memory follows the schema's size (a root tree of 1,000 schemas is 40 kB),
 * not the history's. All trees were once read up front and kept: 1.3 GB for
 * 30,000 changes of the large benchmark. The audit check walks the chain from
 * the root, so a commit's parent tree is still cached from the step before.
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "verify/verify_int.h"

/* The cache's size; DDLSNAP_VERIFY_TREE_SLOTS sets another (the tests run
 * with one slot, so that every tree is read again). */
#define TREE_SLOTS 1024

static size_t tree_slots(void)
{
	const char *env = getenv("DDLSNAP_VERIFY_TREE_SLOTS");
	long n = env ? strtol(env, NULL, 10) : 0;
	return n > 0 ? (size_t)n : TREE_SLOTS;
}

static ds_vtree *slot_of(ds_verifier *v, const ds_oid *oid)
{
	if (!v->trees) {
		v->nslots = tree_slots();
		v->trees = ds_xcalloc(v->nslots, sizeof *v->trees);
	}
	size_t h = 0;
	memcpy(&h, oid->id, sizeof h); /* a SHA-1's bytes are already well mixed */
	return &v->trees[h % v->nslots];
}

/* The cached tree oid, or NULL. */
static const ds_vtree *cached(ds_verifier *v, const ds_oid *oid)
{
	const ds_vtree *slot = slot_of(v, oid);
	return slot->body && ds_oid_cmp(&slot->oid, oid) == 0 ? slot : NULL;
}

static void keep(ds_verifier *v, const ds_oid *oid, const char *body, size_t len)
{
	ds_vtree *slot = slot_of(v, oid);
	free(slot->body);
	slot->oid = *oid;
	slot->len = len;
	slot->body = ds_xmalloc(len + 1);
	memcpy(slot->body, body, len);
}

/* In prefetch's lists of pairs, the side of a pair that has no tree. */
static const ds_oid none;

/* Read the trees of oids[0..n) the cache lacks, in one query. */
static int fetch_missing(ds_verifier *v, const ds_oid *oids, size_t n)
{
	ds_buf arr = DS_BUF_INIT;
	size_t missing = 0;
	ds_buf_putc(&arr, '{');
	for (size_t i = 0; i < n; i++) {
		if (ds_oid_cmp(&oids[i], &none) == 0 || cached(v, &oids[i]))
			continue;
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, &oids[i]);
		ds_db_array_add(&arr, hex);
		missing++;
	}
	ds_buf_putc(&arr, '}');
	int rc = 0;
	if (missing) {
		const char *params[] = {ds_buf_cstr(&arr)};
		PGresult *res = PQexecParams(v->target, ds_sql_verify_trees, 1, NULL, params,
					     NULL, NULL, 1);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			rc = ds_db_error(v->target, res, "reading trees");
		} else {
			for (int i = 0; i < PQntuples(res); i++) {
				char hex[DS_OID_HEXSZ + 1];
				ds_oid oid;
				snprintf(hex, sizeof hex, "%.*s", PQgetlength(res, i, 0),
					 PQgetvalue(res, i, 0));
				if (ds_oid_parse(&oid, hex) == 0)
					keep(v, &oid, PQgetvalue(res, i, 1),
					     (size_t)PQgetlength(res, i, 1));
			}
		}
		PQclear(res);
	}
	ds_buf_free(&arr);
	return rc;
}

/* The tree oid from the cache, or read into its slot. @return 0 or an error code */
static int get_tree(ds_verifier *v, const ds_oid *oid, const ds_vtree **out)
{
	int rc = (*out = cached(v, oid)) ? 0 : fetch_missing(v, oid, 1);
	if (rc == 0 && !*out && !(*out = cached(v, oid))) {
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, oid);
		rc = ds_error_setc(DS_ENOTFOUND, "tree %s is missing from the store", hex);
	}
	return rc;
}

typedef struct {
	ds_tree_entry *items;
	char **names;
	size_t n, cap;
} entry_list;

static int collect(const ds_tree_entry *e, void *payload)
{
	entry_list *l = payload;
	if (l->n == l->cap) { /* a root tree has an entry per schema */
		l->cap = l->cap ? 2 * l->cap : 16;
		l->items = ds_xrealloc(l->items, l->cap * sizeof *l->items);
		l->names = ds_xrealloc(l->names, l->cap * sizeof *l->names);
	}
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
	const ds_vtree *t;
	int rc = get_tree(v, oid, &t);
	if (rc)
		return rc;
	/* The entries are copied out: the next read may reuse the slot. */
	rc = ds_tree_parse(t->body, t->len, collect, out);
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

/* Entries of a cached tree (none when it is not cached: the diff reads it). */
static void cached_entries(ds_verifier *v, const ds_oid *oid, entry_list *out)
{
	memset(out, 0, sizeof *out);
	const ds_vtree *t = oid ? cached(v, oid) : NULL;
	if (t && ds_tree_parse(t->body, t->len, collect, out) != 0)
		entry_list_free(out);
}

static void add_oid(ds_oid **list, size_t *n, size_t *cap, const ds_oid *oid)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*list = ds_xrealloc(*list, *cap * sizeof **list);
	}
	(*list)[(*n)++] = *oid;
}

int ds_verify_tree_prefetch(ds_verifier *v, const ds_oid *const *olds, const ds_oid *news,
			    size_t n)
{
	/* pairs of one level, flattened: old, new (an all-zero id: no tree) */
	ds_oid *level = NULL, *next = NULL;
	size_t nlevel = 0, cap = 0, nnext = 0, capnext = 0;
	for (size_t i = 0; i < n; i++) {
		add_oid(&level, &nlevel, &cap, olds[i] ? olds[i] : &none);
		add_oid(&level, &nlevel, &cap, &news[i]);
	}
	int rc = 0;
	while (rc == 0 && nlevel) {
		rc = fetch_missing(v, level, nlevel);
		nnext = 0;
		for (size_t i = 0; rc == 0 && i + 1 < nlevel; i += 2) {
			const ds_oid *a = ds_oid_cmp(&level[i], &none) ? &level[i] : NULL;
			const ds_oid *b = ds_oid_cmp(&level[i + 1], &none) ? &level[i + 1] : NULL;
			if (a && b && ds_oid_cmp(a, b) == 0)
				continue;
			entry_list la, lb;
			cached_entries(v, a, &la);
			cached_entries(v, b, &lb);
			/* the subtrees that differ, as the diff will pair them */
			size_t x = 0, y = 0;
			while (x < la.n || y < lb.n) {
				int c = x >= la.n ? 1 : y >= lb.n ? -1 : strcmp(la.items[x].name, lb.items[y].name);
				const ds_tree_entry *ea = c <= 0 ? &la.items[x++] : NULL;
				const ds_tree_entry *eb = c >= 0 ? &lb.items[y++] : NULL;
				int ta = ea && ea->mode == DS_MODE_TREE, tb = eb && eb->mode == DS_MODE_TREE;
				if ((!ta && !tb) || (ta && tb && ds_oid_cmp(&ea->oid, &eb->oid) == 0))
					continue;
				add_oid(&next, &nnext, &capnext, ta ? &ea->oid : &none);
				add_oid(&next, &nnext, &capnext, tb ? &eb->oid : &none);
			}
			entry_list_free(&la);
			entry_list_free(&lb);
		}
		ds_oid *t = level;
		level = next;
		next = t;
		size_t tc = cap;
		cap = capnext;
		capnext = tc;
		nlevel = nnext;
	}
	free(level);
	free(next);
	return rc;
}

int ds_verify_tree_has(ds_verifier *v, const ds_oid *tree, const char *path)
{
	ds_oid at = *tree;
	for (;;) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);
		entry_list l;
		int rc = read_tree(v, &at, &l);
		if (rc)
			return rc;
		int found = 0;
		for (size_t i = 0; i < l.n && !found; i++) {
			const ds_tree_entry *e = &l.items[i];
			if (strlen(e->name) != len || memcmp(e->name, path, len) != 0)
				continue;
			if (!slash) {
				found = e->mode != DS_MODE_TREE ? 1 : -1;
			} else if (e->mode == DS_MODE_TREE) {
				at = e->oid;
				found = 2;
			} else {
				found = -1;
			}
		}
		entry_list_free(&l);
		if (found != 2)
			return found == 1;
		path = slash + 1;
	}
}
