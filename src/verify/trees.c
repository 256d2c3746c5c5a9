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

/* A tree's entries, over a copy of its body (the next read may reuse the slot). */
typedef struct {
	char *body;
	ds_tree_entry *items; /* names point into body */
	size_t n, cap;
} entry_list;

static int collect(const ds_tree_entry *e, void *payload)
{
	entry_list *l = payload;
	if (l->n == l->cap) { /* a root tree has an entry per schema */
		l->cap = l->cap ? 2 * l->cap : 16;
		l->items = ds_xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->n++] = *e;
	return 0;
}

static void entry_list_free(entry_list *l)
{
	free(l->body);
	free(l->items);
}

/* The entries of t into out (empty for no tree). @return 0 or DS_EINVALID */
static int list_entries(const ds_vtree *t, entry_list *out)
{
	memset(out, 0, sizeof *out);
	if (!t)
		return 0;
	out->body = ds_xmalloc(t->len + 1);
	memcpy(out->body, t->body, t->len);
	if (ds_tree_parse(out->body, t->len, collect, out) == 0)
		return 0;
	entry_list_free(out);
	memset(out, 0, sizeof *out);
	char hex[DS_OID_HEXSZ + 1];
	ds_oid_fmt(hex, &t->oid);
	return ds_error_setc(DS_EINVALID, "tree %s is malformed", hex);
}

static int read_tree(ds_verifier *v, const ds_oid *oid, entry_list *out)
{
	memset(out, 0, sizeof *out);
	if (!oid)
		return 0;
	const ds_vtree *t;
	int rc = get_tree(v, oid, &t);
	return rc ? rc : list_entries(t, out);
}

/*
 * Call cb for the entries of two trees paired by name (NULL for the side
 * that lacks one), in order; stops at the first non-zero return.
 */
static int each_pair(const entry_list *a, const entry_list *b,
		     int (*cb)(const ds_tree_entry *old, const ds_tree_entry *new_, void *payload),
		     void *payload)
{
	size_t i = 0, j = 0;
	int rc = 0;
	while (rc == 0 && (i < a->n || j < b->n)) {
		int c = i >= a->n ? 1 : j >= b->n ? -1 : strcmp(a->items[i].name, b->items[j].name);
		const ds_tree_entry *old = c <= 0 ? &a->items[i++] : NULL;
		const ds_tree_entry *new_ = c >= 0 ? &b->items[j++] : NULL;
		rc = cb(old, new_, payload);
	}
	return rc;
}

typedef int (*diff_cb)(const char *, const ds_oid *, const ds_oid *, void *);

typedef struct {
	ds_verifier *v;
	ds_buf *prefix; /* the path of the trees compared: "" or ending in '/' */
	diff_cb cb;
	void *payload;
} differ;

static int diff(differ *d, const ds_oid *a, const ds_oid *b);

/* One pair of entries: a blob is reported, a tree is descended into. */
static int diff_pair(const ds_tree_entry *old, const ds_tree_entry *new_, void *payload)
{
	differ *d = payload;
	ds_buf *prefix = d->prefix;
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
		rc = diff(d, old_tree ? &old->oid : NULL, new_tree ? &new_->oid : NULL);
	}
	if (rc == 0 && ((old && !old_tree) || (new_ && !new_tree))) {
		prefix->len = keep;
		ds_buf_puts(prefix, e->name);
		rc = d->cb(prefix->ptr, old && !old_tree ? &old->oid : NULL,
			   new_ && !new_tree ? &new_->oid : NULL, d->payload);
	}
	prefix->len = keep;
	prefix->ptr[keep] = '\0';
	return rc;
}

static int diff(differ *d, const ds_oid *a, const ds_oid *b)
{
	entry_list la, lb;
	int rc = read_tree(d->v, a, &la);
	if (rc)
		return rc;
	rc = read_tree(d->v, b, &lb);
	if (rc == 0)
		rc = each_pair(&la, &lb, diff_pair, d);
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
	differ d = {v, &prefix, cb, payload};
	int rc = diff(&d, old_tree, new_tree);
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

typedef struct {
	ds_oid *oids; /* pairs, flattened: old, new (an all-zero id: no tree) */
	size_t n, cap;
} oid_pairs;

static void add_oid(oid_pairs *l, const ds_oid *oid)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->oids = ds_xrealloc(l->oids, l->cap * sizeof *l->oids);
	}
	l->oids[l->n++] = oid ? *oid : none;
}

/* A pair of subtrees the diff will descend into, for the next level's read. */
static int queue_pair(const ds_tree_entry *old, const ds_tree_entry *new_, void *payload)
{
	int ta = old && old->mode == DS_MODE_TREE, tb = new_ && new_->mode == DS_MODE_TREE;
	if ((!ta && !tb) || (ta && tb && ds_oid_cmp(&old->oid, &new_->oid) == 0))
		return 0;
	add_oid(payload, ta ? &old->oid : NULL);
	add_oid(payload, tb ? &new_->oid : NULL);
	return 0;
}

/* The entries of a cached tree (none when it is not cached: the diff reads it). */
static void cached_entries(ds_verifier *v, const ds_oid *oid, entry_list *out)
{
	const ds_vtree *t = ds_oid_cmp(oid, &none) ? cached(v, oid) : NULL;
	if (list_entries(t, out) != 0)
		ds_error_clear(); /* the diff reports it */
}

int ds_verify_tree_prefetch(ds_verifier *v, const ds_oid *const *olds, const ds_oid *news,
			    size_t n)
{
	oid_pairs level = {0}, next = {0};
	for (size_t i = 0; i < n; i++) {
		add_oid(&level, olds[i]);
		add_oid(&level, &news[i]);
	}
	int rc = 0;
	while (rc == 0 && level.n) {
		rc = fetch_missing(v, level.oids, level.n);
		next.n = 0;
		for (size_t i = 0; rc == 0 && i + 1 < level.n; i += 2) {
			if (ds_oid_cmp(&level.oids[i], &level.oids[i + 1]) == 0)
				continue;
			entry_list la, lb;
			cached_entries(v, &level.oids[i], &la);
			cached_entries(v, &level.oids[i + 1], &lb);
			each_pair(&la, &lb, queue_pair, &next);
			entry_list_free(&la);
			entry_list_free(&lb);
		}
		oid_pairs t = level;
		level = next;
		next = t;
	}
	free(level.oids);
	free(next.oids);
	return rc;
}

typedef struct {
	const char *name; /* the path's next component */
	size_t len;
	ds_tree_entry found;
	int hit;
} finder;

static int find_name(const ds_tree_entry *e, void *payload)
{
	finder *f = payload;
	if (strlen(e->name) != f->len || memcmp(e->name, f->name, f->len) != 0)
		return 0;
	f->found = *e;
	f->hit = 1;
	return 1;
}

int ds_verify_tree_has(ds_verifier *v, const ds_oid *tree, const char *path)
{
	ds_oid at = *tree;
	for (;;) {
		const char *slash = strchr(path, '/');
		finder f = {path, slash ? (size_t)(slash - path) : strlen(path)};
		const ds_vtree *t;
		int rc = get_tree(v, &at, &t);
		if (rc)
			return rc;
		rc = ds_tree_parse(t->body, t->len, find_name, &f);
		if (rc != 0 && !f.hit) {
			char hex[DS_OID_HEXSZ + 1];
			ds_oid_fmt(hex, &at);
			return ds_error_setc(DS_EINVALID, "tree %s is malformed", hex);
		}
		if (!f.hit || (f.found.mode == DS_MODE_TREE) != (slash != NULL))
			return 0;
		if (!slash)
			return 1;
		at = f.found.oid;
		path = slash + 1;
	}
}
