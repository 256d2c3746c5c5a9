/*
 * snapshot.c - objects to paths, blobs and trees (see snapshot.h).
 *
 * A snapshot has exactly three levels: the root holds schema folders, a
 * schema folder holds kind folders, a kind folder holds object files. The
 * entries are one array sorted by full path, so a kind folder's files are a
 * contiguous run; the folders' trees are kept (ds_snap_folder) so that a
 * change hashes again only the kind folders it touched, their schema
 * folders and the root.
 */
#include "ddlsnap/snapshot.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/error.h"
#include "ddlsnap/path.h"

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

/* ---- folders ---- */

/* git's order for folder names: bytes, as if each ended in '/'. */
static int folder_cmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	unsigned char ca = *a ? (unsigned char)*a : '/';
	unsigned char cb = *b ? (unsigned char)*b : '/';
	return ca < cb ? -1 : ca > cb ? 1 : 0;
}

/* Where name is in v[0..n), or would go. */
static size_t folder_find(const ds_snap_folder *v, size_t n, const char *name, bool *found)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (folder_cmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < n && strcmp(v[lo].name, name) == 0;
	return lo;
}

/* The index of the folder named name[0..len), added (with no tree yet) if missing. */
static size_t folder_get(ds_snap_folder **v, size_t *n, const char *name, size_t len)
{
	char *key = ds_xstrndup(name, len);
	bool found;
	size_t at = folder_find(*v, *n, key, &found);
	if (found) {
		free(key);
		return at;
	}
	*v = ds_xrealloc(*v, (*n + 1) * sizeof **v);
	memmove(&(*v)[at + 1], &(*v)[at], (*n - at) * sizeof **v);
	memset(&(*v)[at], 0, sizeof **v);
	(*v)[at].name = key;
	(*n)++;
	return at;
}

static void folders_free(ds_snap_folder *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		folders_free(v[i].sub, v[i].nsub);
	}
	free(v);
}

static void folder_remove(ds_snap_folder *v, size_t *n, size_t at)
{
	free(v[at].name);
	folders_free(v[at].sub, v[at].nsub);
	memmove(&v[at], &v[at + 1], (*n - at - 1) * sizeof *v);
	(*n)--;
}

/* ---- trees ---- */

static int emit_tree(const ds_tree_entry *items, size_t n, ds_oid *out, ds_emit_fn emit,
		     void *payload)
{
	ds_buf body = DS_BUF_INIT;
	int rc = ds_tree_encode(&body, items, n);
	if (rc == 0) {
		ds_oid_hash(out, DS_OBJ_TREE, body.ptr, body.len);
		if (emit)
			rc = emit(payload, DS_OBJ_TREE, out, ds_buf_cstr(&body), body.len);
	}
	ds_buf_free(&body);
	return rc;
}

/* The tree of folders v[0..n), already in git's order. */
static int folders_tree(const ds_snap_folder *v, size_t n, ds_oid *out, ds_emit_fn emit,
			void *payload)
{
	ds_tree_entry *items = ds_xcalloc(n ? n : 1, sizeof *items);
	for (size_t i = 0; i < n; i++)
		items[i] = (ds_tree_entry){ v[i].name, DS_MODE_TREE, v[i].oid };
	int rc = emit_tree(items, n, out, emit, payload);
	free(items);
	return rc;
}

/* The first entry whose path is not below key (byte order). */
static size_t lower_bound(const ds_snapshot *s, const char *key)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->entries[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The tree of the kind folder dir ("schema/kind"): its files are the run of
 * entries starting with "dir/", in byte order, which is git's order for
 * files. *empty says there are none (no tree is made).
 */
static int kind_tree(const ds_snapshot *s, const char *dir, ds_oid *out, bool *empty,
		     ds_emit_fn emit, void *payload)
{
	size_t len = strlen(dir);
	char *prefix = ds_xcalloc(len + 2, 1);
	memcpy(prefix, dir, len);
	prefix[len] = '/';
	size_t lo = lower_bound(s, prefix), hi = lo;
	while (hi < s->n && strncmp(s->entries[hi].path, prefix, len + 1) == 0)
		hi++;
	free(prefix);
	*empty = lo == hi;
	if (*empty)
		return 0;
	ds_tree_entry *items = ds_xcalloc(hi - lo, sizeof *items);
	for (size_t i = lo; i < hi; i++)
		items[i - lo] = (ds_tree_entry){ s->entries[i].path + len + 1, DS_MODE_BLOB,
						 s->entries[i].blob };
	int rc = emit_tree(items, hi - lo, out, emit, payload);
	free(items);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folders a change touched: "schema/kind" of each changed path. */
typedef struct {
	char **dirs;
	size_t n, cap;
} dirty_set;

static void dirty_add(dirty_set *d, const char *path)
{
	const char *kind_end = strchr(strchr(path, '/') + 1, '/');
	if (d->n && strncmp(d->dirs[d->n - 1], path, (size_t)(kind_end - path)) == 0 &&
	    d->dirs[d->n - 1][kind_end - path] == '\0')
		return; /* the same folder as the last one */
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->dirs = ds_xrealloc(d->dirs, d->cap * sizeof *d->dirs);
	}
	d->dirs[d->n++] = ds_xstrndup(path, (size_t)(kind_end - path));
}

static void dirty_free(dirty_set *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->dirs[i]);
	free(d->dirs);
}

/*
 * Build again the kind folders in d, their schema folders and the root,
 * bottom-up; a folder left without entries goes away.
 */
static int rebuild(ds_snapshot *s, dirty_set *d, ds_emit_fn emit, void *payload)
{
	int rc = 0;
	if (d->n)
		qsort(d->dirs, d->n, sizeof *d->dirs, cmp_str);
	/* Sorted, a schema's kind folders ("schema/...") are a contiguous run. */
	for (size_t i = 0; i < d->n && rc == 0;) {
		const char *dir = d->dirs[i];
		size_t slen = (size_t)(strchr(dir, '/') - dir);
		size_t at = folder_get(&s->folders, &s->nfolders, dir, slen);
		ds_snap_folder *schema = &s->folders[at];
		size_t j = i;
		for (; j < d->n && rc == 0 && strncmp(d->dirs[j], dir, slen + 1) == 0; j++) {
			if (j > i && strcmp(d->dirs[j], d->dirs[j - 1]) == 0)
				continue;
			const char *kind = d->dirs[j] + slen + 1;
			size_t k = folder_get(&schema->sub, &schema->nsub, kind, strlen(kind));
			bool empty;
			rc = kind_tree(s, d->dirs[j], &schema->sub[k].oid, &empty, emit, payload);
			if (rc == 0 && empty)
				folder_remove(schema->sub, &schema->nsub, k);
		}
		if (rc == 0 && schema->nsub == 0)
			folder_remove(s->folders, &s->nfolders, at);
		else if (rc == 0)
			rc = folders_tree(schema->sub, schema->nsub, &schema->oid, emit, payload);
		i = j;
	}
	if (rc == 0)
		rc = folders_tree(s->folders, s->nfolders, &s->tree, emit, payload);
	return rc;
}

/* ---- entries by OID ---- */

static int cmp_byoid(const ds_snap_oid *a, const ds_snap_oid *b)
{
	if (a->oid != b->oid)
		return a->oid < b->oid ? -1 : 1;
	uintptr_t pa = (uintptr_t)a->path, pb = (uintptr_t)b->path;
	return pa < pb ? -1 : pa > pb ? 1 : 0;
}

static int cmp_byoid_q(const void *a, const void *b)
{
	return cmp_byoid(a, b);
}

/* Where key is in s->byoid, or would go. */
static size_t byoid_find(const ds_snapshot *s, const ds_snap_oid *key)
{
	size_t lo = 0, hi = s->nbyoid;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_byoid(&s->byoid[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void byoid_add(ds_snapshot *s, const ds_snap_entry *e)
{
	if (e->obj.oid == 0)
		return;
	ds_snap_oid key = { e->obj.oid, e->path };
	size_t at = byoid_find(s, &key);
	s->byoid = ds_xrealloc(s->byoid, (s->nbyoid + 1) * sizeof *s->byoid);
	memmove(&s->byoid[at + 1], &s->byoid[at], (s->nbyoid - at) * sizeof *s->byoid);
	s->byoid[at] = key;
	s->nbyoid++;
}

static void byoid_remove(ds_snapshot *s, const ds_snap_entry *e)
{
	if (e->obj.oid == 0)
		return;
	ds_snap_oid key = { e->obj.oid, e->path };
	size_t at = byoid_find(s, &key);
	if (at < s->nbyoid && cmp_byoid(&s->byoid[at], &key) == 0) {
		memmove(&s->byoid[at], &s->byoid[at + 1], (s->nbyoid - at - 1) * sizeof *s->byoid);
		s->nbyoid--;
	}
}

/* Build the folders and the OID index of a snapshot that has only its entries. */
static int index_all(ds_snapshot *s, ds_emit_fn emit, void *payload)
{
	dirty_set d = { 0 };
	s->byoid = ds_xcalloc(s->n ? s->n : 1, sizeof *s->byoid);
	s->nbyoid = 0;
	for (size_t i = 0; i < s->n; i++) {
		dirty_add(&d, s->entries[i].path);
		if (s->entries[i].obj.oid != 0)
			s->byoid[s->nbyoid++] =
				(ds_snap_oid){ s->entries[i].obj.oid, s->entries[i].path };
	}
	qsort(s->byoid, s->nbyoid, sizeof *s->byoid, cmp_byoid_q);
	int rc = rebuild(s, &d, emit, payload);
	dirty_free(&d);
	return rc;
}

int ds_snapshot_build(ds_snapshot *out, ds_capture *cap, ds_emit_fn emit, void *payload)
{
	int rc = build_entries(out, cap, emit, payload);
	if (rc == 0)
		rc = index_all(out, emit, payload);
	if (rc)
		ds_snapshot_free(out);
	return rc;
}

void ds_snapshot_free(ds_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		ds_snap_entry_free(&s->entries[i]);
	free(s->entries);
	folders_free(s->folders, s->nfolders);
	free(s->byoid);
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

/* f takes the place of the entry at its path, or comes in as a new one. */
static int put(ds_snapshot *s, ds_snap_entry *f, dirty_set *d, ds_snap_change_fn change,
	       void *change_payload)
{
	int rc = 0;
	size_t at = lower_bound(s, f->path);
	if (at < s->n && strcmp(s->entries[at].path, f->path) == 0) {
		ds_snap_entry *o = &s->entries[at];
		if (ds_oid_cmp(&o->blob, &f->blob) != 0) {
			dirty_add(d, f->path);
			rc = change ? change(o, f, change_payload) : 0;
		}
		byoid_remove(s, o);
		ds_snap_entry_free(o);
		*o = *f;
	} else {
		dirty_add(d, f->path);
		rc = change ? change(NULL, f, change_payload) : 0;
		s->entries = ds_xrealloc(s->entries, (s->n + 1) * sizeof *s->entries);
		memmove(&s->entries[at + 1], &s->entries[at], (s->n - at) * sizeof *s->entries);
		s->entries[at] = *f;
		s->n++;
	}
	byoid_add(s, &s->entries[at]);
	return rc;
}

/* The entry at path goes away. */
static int drop(ds_snapshot *s, const char *path, dirty_set *d, ds_snap_change_fn change,
		void *change_payload)
{
	size_t at = lower_bound(s, path);
	if (at == s->n || strcmp(s->entries[at].path, path) != 0)
		return 0;
	ds_snap_entry *o = &s->entries[at];
	dirty_add(d, o->path);
	int rc = change ? change(o, NULL, change_payload) : 0;
	byoid_remove(s, o);
	ds_snap_entry_free(o);
	memmove(&s->entries[at], &s->entries[at + 1], (s->n - at - 1) * sizeof *s->entries);
	s->n--;
	return rc;
}

/* The paths of the entries holding a replaced OID, sorted, each once. */
static const char **replaced_paths(const ds_snapshot *s, const unsigned int *replaced,
				   size_t nreplaced, size_t *n)
{
	const char **out = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t r = 0; r < nreplaced; r++) {
		if (replaced[r] == 0 || (r > 0 && replaced[r] == replaced[r - 1]))
			continue;
		ds_snap_oid key = { replaced[r], NULL };
		for (size_t at = byoid_find(s, &key); at < s->nbyoid && s->byoid[at].oid == replaced[r];
		     at++) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 8;
				out = ds_xrealloc(out, cap * sizeof *out);
			}
			out[(*n)++] = s->byoid[at].path;
		}
	}
	if (*n)
		qsort(out, *n, sizeof *out, cmp_str);
	return out;
}

int ds_snapshot_apply(ds_snapshot *s, const unsigned int *replaced, size_t nreplaced,
		      ds_capture *cap, ds_emit_fn emit, void *payload, ds_snap_change_fn change,
		      void *change_payload)
{
	ds_snapshot fresh = { 0 };
	/* The captured objects as entries of their own, sorted, blobs emitted. */
	int rc = build_entries(&fresh, cap, emit, payload);
	if (rc == 0 && s->n && !s->nfolders)
		rc = index_all(s, emit, payload); /* a loaded snapshot */
	if (rc) {
		ds_snapshot_free(&fresh);
		ds_snapshot_free(s);
		return rc;
	}

	size_t ngone;
	const char **gone = replaced_paths(s, replaced, nreplaced, &ngone);
	dirty_set d = { 0 };
	size_t j = 0, g = 0;
	/* In path order, so that change sees the differences as ds_snapshot_diff would. */
	while (rc == 0 && (j < fresh.n || g < ngone)) {
		int c = j == fresh.n ? 1 : g == ngone ? -1 : strcmp(fresh.entries[j].path, gone[g]);
		if (c <= 0) {
			g += c == 0;
			rc = put(s, &fresh.entries[j++], &d, change, change_payload);
		} else {
			rc = drop(s, gone[g++], &d, change, change_payload);
		}
	}
	free(gone);
	/* On error, what was not put still belongs to fresh. */
	for (; j < fresh.n; j++)
		ds_snap_entry_free(&fresh.entries[j]);
	free(fresh.entries);
	if (rc == 0)
		rc = rebuild(s, &d, emit, payload);
	dirty_free(&d);
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
	if (out->n)
		qsort(out->entries, out->n, sizeof *out->entries, by_path);
	out->tree = *tree;
	return 0;
}
