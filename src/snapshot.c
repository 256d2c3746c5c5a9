/*
 * snapshot.c - objects to paths, blobs and trees (see snapshot.h).
 *
 * Entries are sorted by their full path; every directory is then a
 * contiguous run of entries sharing a prefix, so trees are built by one
 * recursive pass over the sorted array, each tree sorted in git's order.
 */
#include "ddlsnap/snapshot.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/error.h"
#include "ddlsnap/path.h"

typedef struct {
	ds_emit_fn emit;
	void *payload;
	/* folders whose trees can be reused (sorted by dir), unless dirty */
	const ds_snap_tree *cache;
	size_t ncache;
	char **dirty; /* folders with a changed entry, sorted; NULL: all are */
	size_t ndirty;
	/* the folders built or reused, for the snapshot's own cache */
	ds_snap_tree *out;
	size_t nout, outcap;
} builder;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_tree(const void *a, const void *b)
{
	return strcmp(((const ds_snap_tree *)a)->dir, ((const ds_snap_tree *)b)->dir);
}

static void keep_tree(builder *bld, const char *dir, size_t len, const ds_oid *oid)
{
	if (bld->nout == bld->outcap) {
		bld->outcap = bld->outcap ? 2 * bld->outcap : 64;
		bld->out = ds_xrealloc(bld->out, bld->outcap * sizeof *bld->out);
	}
	bld->out[bld->nout].dir = ds_xstrndup(dir, len);
	bld->out[bld->nout].oid = *oid;
	bld->nout++;
}

/* The cached tree of the folder dir[0..len), when it is there and clean. */
static const ds_oid *reusable(const builder *bld, const char *dir, size_t len)
{
	if (!bld->dirty || !bld->ncache)
		return NULL;
	char *key = ds_xstrndup(dir, len);
	const ds_oid *found = NULL;
	if (!bsearch(&key, bld->dirty, bld->ndirty, sizeof *bld->dirty, cmp_str)) {
		ds_snap_tree probe = { key, { { 0 } } };
		const ds_snap_tree *t =
			bsearch(&probe, bld->cache, bld->ncache, sizeof *bld->cache, cmp_tree);
		if (t)
			found = &t->oid;
	}
	free(key);
	return found;
}

/*
 * Database-wide objects (extensions, event triggers...) live under this
 * top-level folder. No schema can have it: escaping turns a schema's "%"
 * into "%25" and always follows "%" with two hex digits (docs/paths.md).
 */
#define GLOBAL_DIR "%global"

static char *object_path(const ds_object *o)
{
	ds_buf b = DS_BUF_INIT;
	if (o->schema)
		ds_path_escape(&b, o->schema, NULL);
	else
		ds_buf_puts(&b, GLOBAL_DIR);
	ds_buf_putc(&b, '/');
	ds_path_escape(&b, o->kind, NULL);
	ds_buf_putc(&b, '/');
	ds_path_escape(&b, o->name, ".sql");
	return ds_buf_detach(&b);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const ds_snap_entry *)a)->path, ((const ds_snap_entry *)b)->path);
}

/* Length of the path component of e starting at depth offset off. */
static size_t component_len(const ds_snap_entry *e, size_t off)
{
	return strcspn(e->path + off, "/");
}

/*
 * Build the tree for entries [lo, hi), which all share the first off bytes
 * of their path, and name it in *out.
 */
static int build_tree(builder *bld, ds_snap_entry *e, size_t lo, size_t hi, size_t off,
		      ds_oid *out)
{
	ds_tree_entry *items = ds_xcalloc(hi - lo, sizeof *items);
	char **names = ds_xcalloc(hi - lo, sizeof *names);
	size_t n = 0;
	int rc = 0;

	for (size_t i = lo; i < hi && rc == 0;) {
		size_t len = component_len(&e[i], off);
		names[n] = ds_xstrndup(e[i].path + off, len);
		items[n].name = names[n];
		if (e[i].path[off + len] == '\0') {
			items[n].mode = DS_MODE_BLOB;
			items[n].oid = e[i].blob;
			i++;
		} else {
			size_t j = i + 1;
			while (j < hi && strncmp(e[j].path + off, e[i].path + off, len + 1) == 0)
				j++;
			items[n].mode = DS_MODE_TREE;
			const ds_oid *cached = reusable(bld, e[i].path, off + len);
			if (cached)
				items[n].oid = *cached;
			else
				rc = build_tree(bld, e, i, j, off + len + 1, &items[n].oid);
			if (rc == 0)
				keep_tree(bld, e[i].path, off + len, &items[n].oid);
			i = j;
		}
		n++;
	}

	if (rc == 0) {
		ds_buf body = DS_BUF_INIT;
		ds_tree_sort(items, n);
		rc = ds_tree_encode(&body, items, n);
		if (rc == 0) {
			ds_oid_hash(out, DS_OBJ_TREE, body.ptr, body.len);
			if (bld->emit)
				rc = bld->emit(bld->payload, DS_OBJ_TREE, out, ds_buf_cstr(&body),
					       body.len);
		}
		ds_buf_free(&body);
	}
	for (size_t k = 0; k < n; k++)
		free(names[k]);
	free(names);
	free(items);
	return rc;
}

static void free_trees(ds_snap_tree *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].dir);
	free(t);
}

/* Build the root (and what is not reused) and keep the folders' trees. */
static int build_root(ds_snapshot *s, builder *bld)
{
	int rc = build_tree(bld, s->entries, 0, s->n, 0, &s->tree);
	if (rc) {
		free_trees(bld->out, bld->nout);
		return rc;
	}
	free_trees(s->trees, s->ntrees);
	qsort(bld->out, bld->nout, sizeof *bld->out, cmp_tree);
	s->trees = bld->out;
	s->ntrees = bld->nout;
	return 0;
}

/* The entries of a capture, sorted by path, blobs named and emitted; no trees. */
static int build_entries(ds_snapshot *out, ds_capture *cap, ds_emit_fn emit, void *payload)
{
	int rc = 0;

	out->n = cap->nobjects;
	out->entries = ds_xcalloc(out->n, sizeof *out->entries);
	for (size_t i = 0; i < out->n; i++) {
		ds_snap_entry *e = &out->entries[i];
		e->obj = cap->objects[i];
		e->path = object_path(&e->obj);
		ds_oid_hash(&e->blob, DS_OBJ_BLOB, e->obj.ddl, strlen(e->obj.ddl));
	}
	free(cap->objects);
	cap->objects = NULL;
	cap->nobjects = cap->objects_cap = 0;

	qsort(out->entries, out->n, sizeof *out->entries, by_path);
	for (size_t i = 0; i < out->n && rc == 0; i++) {
		const ds_snap_entry *e = &out->entries[i];
		if (i > 0 && strcmp(e->path, out->entries[i - 1].path) == 0)
			rc = ds_error_setc(DS_EINVALID, "two objects map to the path %s", e->path);
		else if (emit)
			rc = emit(payload, DS_OBJ_BLOB, &e->blob, e->obj.ddl, strlen(e->obj.ddl));
	}
	if (rc)
		ds_snapshot_free(out);
	return rc;
}

int ds_snapshot_build(ds_snapshot *out, ds_capture *cap, ds_emit_fn emit, void *payload)
{
	builder bld = { emit, payload, NULL, 0, NULL, 0, NULL, 0, 0 };
	int rc = build_entries(out, cap, emit, payload);
	if (rc == 0)
		rc = build_root(out, &bld);
	if (rc)
		ds_snapshot_free(out);
	return rc;
}

void ds_snapshot_free(ds_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		ds_snap_entry_free(&s->entries[i]);
	free(s->entries);
	free_trees(s->trees, s->ntrees);
	memset(s, 0, sizeof *s);
}

void ds_snap_entry_free(ds_snap_entry *e)
{
	free(e->path);
	free(e->obj.schema);
	free(e->obj.kind);
	free(e->obj.name);
	free(e->obj.ddl);
}

static int has_oid(const unsigned int *v, size_t n, unsigned int x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

/* Mark the folders of path dirty ("a/b/c.sql": "a" and "a/b"). */
static void mark_dirty(builder *bld, size_t *cap, const char *path)
{
	for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		if (bld->ndirty == *cap) {
			*cap = *cap ? 2 * *cap : 16;
			bld->dirty = ds_xrealloc(bld->dirty, *cap * sizeof *bld->dirty);
		}
		bld->dirty[bld->ndirty++] = ds_xstrndup(path, (size_t)(p - path));
	}
}

int ds_snapshot_apply(ds_snapshot *s, const unsigned int *replaced, size_t nreplaced,
		      ds_capture *cap, ds_emit_fn emit, void *payload, ds_snap_change_fn change,
		      void *change_payload)
{
	ds_snapshot fresh = { 0 };
	/* The captured objects as entries of their own, sorted, blobs emitted. */
	int rc = build_entries(&fresh, cap, emit, payload);
	if (rc) {
		ds_snapshot_free(s);
		return rc;
	}

	builder bld = { emit, payload, s->trees, s->ntrees, NULL, 0, NULL, 0, 0 };
	size_t dirtycap = 0;
	ds_snap_entry *merged = ds_xcalloc(s->n + fresh.n + 1, sizeof *merged);
	size_t n = 0, i = 0, j = 0;
	bld.dirty = ds_xcalloc(1, sizeof *bld.dirty); /* non-NULL: reuse what is clean */
	while (rc == 0 && (i < s->n || j < fresh.n)) {
		ds_snap_entry *o = i < s->n ? &s->entries[i] : NULL;
		ds_snap_entry *f = j < fresh.n ? &fresh.entries[j] : NULL;
		int c = !o ? 1 : !f ? -1 : strcmp(o->path, f->path);
		if (c == 0) {
			if (ds_oid_cmp(&o->blob, &f->blob) != 0) {
				mark_dirty(&bld, &dirtycap, f->path);
				rc = change ? change(o, f, change_payload) : 0;
			}
			merged[n++] = *f;
			ds_snap_entry_free(o);
			i++;
			j++;
		} else if (c < 0) {
			if (has_oid(replaced, nreplaced, o->obj.oid) && o->obj.oid != 0) {
				mark_dirty(&bld, &dirtycap, o->path);
				rc = change ? change(o, NULL, change_payload) : 0;
				ds_snap_entry_free(o);
			} else {
				merged[n++] = *o;
			}
			i++;
		} else {
			mark_dirty(&bld, &dirtycap, f->path);
			rc = change ? change(NULL, f, change_payload) : 0;
			merged[n++] = *f;
			j++;
		}
	}
	/* On error, what was not consumed still belongs to its array. */
	for (; i < s->n; i++)
		merged[n++] = s->entries[i];
	for (; j < fresh.n; j++)
		merged[n++] = fresh.entries[j];
	free(s->entries);
	free(fresh.entries);
	s->entries = merged;
	s->n = n;

	qsort(bld.dirty, bld.ndirty, sizeof *bld.dirty, cmp_str);
	if (rc == 0)
		rc = build_root(s, &bld);
	for (size_t k = 0; k < bld.ndirty; k++)
		free(bld.dirty[k]);
	free(bld.dirty);
	if (rc)
		ds_snapshot_free(s);
	return rc;
}

int ds_snapshot_diff(const ds_snapshot *old, const ds_snapshot *new_,
		     int (*cb)(const ds_snap_entry *old, const ds_snap_entry *new_, void *payload),
		     void *payload)
{
	size_t i = 0, j = 0;
	size_t on = old ? old->n : 0, nn = new_ ? new_->n : 0;
	int rc = 0;

	while (rc == 0 && (i < on || j < nn)) {
		int c = i >= on ? 1 : j >= nn ? -1 : strcmp(old->entries[i].path, new_->entries[j].path);
		if (c < 0) {
			rc = cb(&old->entries[i++], NULL, payload);
		} else if (c > 0) {
			rc = cb(NULL, &new_->entries[j++], payload);
		} else {
			if (ds_oid_cmp(&old->entries[i].blob, &new_->entries[j].blob) != 0)
				rc = cb(&old->entries[i], &new_->entries[j], payload);
			i++;
			j++;
		}
	}
	return rc;
}

/*
 * Loading a stored snapshot: walk the tree depth first, three levels
 * (schema, kind, object), reading every blob.
 */
typedef struct {
	ds_get_fn get;
	void *payload;
	ds_snapshot *out;
	size_t cap;
	const char *parts[3]; /* escaped components of the current path */
	int depth;
	int rc;
} loader;

static int load_tree(loader *l, const ds_oid *oid);

static char *unescaped(const char *component)
{
	ds_buf b = DS_BUF_INIT;
	/* A shortened name cannot be restored; it stays as it is in the path. */
	if (ds_path_unescape(&b, component) != 0) {
		ds_buf_clear(&b);
		ds_buf_puts(&b, component);
	}
	return ds_buf_detach(&b);
}

static int load_blob(loader *l, const ds_oid *oid)
{
	ds_objtype type;
	ds_buf body = DS_BUF_INIT, path = DS_BUF_INIT;
	int rc = l->get(l->payload, oid, &type, &body);
	if (rc == 0 && type != DS_OBJ_BLOB)
		rc = ds_error_setc(DS_EINVALID, "%s/%s/%s is not a blob", l->parts[0], l->parts[1],
				   l->parts[2]);
	if (rc) {
		ds_buf_free(&body);
		return rc;
	}
	if (l->out->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->out->entries = ds_xrealloc(l->out->entries, l->cap * sizeof *l->out->entries);
	}
	ds_snap_entry *e = &l->out->entries[l->out->n++];
	memset(e, 0, sizeof *e);
	ds_buf_printf(&path, "%s/%s/%s", l->parts[0], l->parts[1], l->parts[2]);
	e->path = ds_buf_detach(&path);
	e->blob = *oid;
	e->obj.schema = strcmp(l->parts[0], GLOBAL_DIR) == 0 ? NULL : unescaped(l->parts[0]);
	e->obj.kind = unescaped(l->parts[1]);
	size_t len = strlen(l->parts[2]);
	char *file = ds_xstrndup(l->parts[2], len > 4 ? len - 4 : len); /* drop ".sql" */
	e->obj.name = unescaped(file);
	free(file);
	e->obj.ddl = ds_buf_detach(&body);
	return 0;
}

static int load_entry(const ds_tree_entry *entry, void *payload)
{
	loader *l = payload;
	bool leaf = l->depth == 2;
	if ((entry->mode == DS_MODE_BLOB) != leaf)
		return ds_error_setc(DS_EINVALID, "%s at depth %d: a snapshot has %s there",
				     entry->name, l->depth + 1, leaf ? "object files" : "folders");
	l->parts[l->depth] = entry->name;
	if (leaf)
		return load_blob(l, &entry->oid);
	l->depth++;
	int rc = load_tree(l, &entry->oid);
	l->depth--;
	return rc;
}

static int load_tree(loader *l, const ds_oid *oid)
{
	ds_objtype type;
	ds_buf body = DS_BUF_INIT;
	int rc = l->get(l->payload, oid, &type, &body);
	if (rc == 0 && type != DS_OBJ_TREE) {
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, oid);
		rc = ds_error_setc(DS_EINVALID, "object %s is not a tree", hex);
	}
	if (rc == 0)
		rc = ds_tree_parse(body.ptr, body.len, load_entry, l);
	ds_buf_free(&body);
	return rc;
}

int ds_snapshot_load(ds_snapshot *out, const ds_oid *tree, ds_get_fn get, void *payload)
{
	memset(out, 0, sizeof *out);
	loader l = { .get = get, .payload = payload, .out = out };
	int rc = load_tree(&l, tree);
	if (rc) {
		ds_snapshot_free(out);
		return rc;
	}
	/* git orders a tree's names as if folders ended in '/'; paths sort bytewise. */
	qsort(out->entries, out->n, sizeof *out->entries, by_path);
	out->tree = *tree;
	return 0;
}
