/*
 * test_snapshot.c - a snapshot updated in place by ds_snapshot_apply stays
 * the snapshot a full build of the same objects gives: same entries, same
 * root tree, and the changes it reports are the ones ds_snapshot_diff finds
 * between the two full builds, in the same order. Thousands of random
 * changes (edits, creations, drops by OID, renames, moves between schemas,
 * a folder's last object going) over schema names whose byte order and
 * git's tree order differ ("a", "a-b", "a.b", "a0"). Every tree the updates
 * make goes into a real repository, which `git fsck --strict` must accept
 * and whose `git ls-tree -r` of the last root must list the entries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/capture.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/gitrepo.h"
#include "ddlsnap/snapshot.h"
#include "run_cmd.h"

/* NULL: a database-wide object (the %global folder). */
static const char *const schemas[] = { "a", "a-b", "a.b", "a0", "ab", "public", NULL };
static const char *const kinds[] = { "table", "view", "function", "materialized view", "type" };
#define NSCHEMAS (sizeof schemas / sizeof *schemas)
#define NKINDS (sizeof kinds / sizeof *kinds)
#define MAXOBJ 400

typedef struct {
	unsigned int oid; /* 0 for some: never dropped by OID, only recaptured */
	int schema, kind, name, version;
	int alive;
} model_obj;

typedef struct {
	model_obj objs[MAXOBJ];
	int n;
	unsigned int seed;
} model;

static unsigned int rnd(model *m, unsigned int below)
{
	m->seed = m->seed * 1103515245u + 12345u;
	return (m->seed >> 8) % below;
}

static void add_obj(ds_capture *cap, const model_obj *o)
{
	char name[32];
	ds_buf ddl = DS_BUF_INIT;
	snprintf(name, sizeof name, "o%d", o->name);
	ds_buf_printf(&ddl, "CREATE %s %s.%s; -- version %d\n", kinds[o->kind],
		      schemas[o->schema] ? schemas[o->schema] : "-", name, o->version);
	ds_capture_add(cap, o->oid, schemas[o->schema], kinds[o->kind], name, ds_buf_detach(&ddl));
}

static int path_taken(const model *m, const model_obj *self, int schema, int kind, int name)
{
	for (int i = 0; i < m->n; i++)
		if (&m->objs[i] != self && m->objs[i].alive && m->objs[i].schema == schema && m->objs[i].kind == kind &&
		    m->objs[i].name == name)
			return 1;
	return 0;
}

/* Give o a free path in a few folders (so folders fill up and empty out). */
static void place(model *m, model_obj *o)
{
	do {
		o->schema = (int)rnd(m, NSCHEMAS);
		o->kind = (int)rnd(m, NKINDS);
		o->name = (int)rnd(m, 12);
	} while (path_taken(m, o, o->schema, o->kind, o->name));
}

static void full(const model *m, ds_snapshot *out)
{
	ds_capture cap = { 0 };
	for (int i = 0; i < m->n; i++)
		if (m->objs[i].alive)
			add_obj(&cap, &m->objs[i]);
	assert_int_equal(ds_snapshot_build(out, &cap, NULL, NULL), 0);
	ds_capture_free(&cap);
}

/* The changes reported, one line each: "old-path new-path" ("-" for none). */
static int record(const ds_snap_entry *old, const ds_snap_entry *new_, void *payload)
{
	ds_buf_printf(payload, "%s %s\n", old ? old->path : "-", new_ ? new_->path : "-");
	return 0;
}

static int to_repo(void *payload, ds_objtype type, const ds_oid *oid, const char *body,
		   size_t len)
{
	return ds_gitrepo_put(payload, type, oid, body, len);
}

static int alive_at(model *m)
{
	for (int tries = 0; m->n && tries < 50; tries++) {
		int i = (int)rnd(m, (unsigned)m->n);
		if (m->objs[i].alive)
			return i;
	}
	return -1;
}

/*
 * One change of 1-4 edits: what the capture holds and which OIDs it
 * replaces, as the incremental capture hands them over.
 */
static void random_change(model *m, ds_capture *cap, unsigned int *replaced, size_t *nreplaced)
{
	int edits = 1 + (int)rnd(m, 4);
	int touched[8];
	int ntouched = 0;
	*nreplaced = 0;
	for (int e = 0; e < edits; e++) {
		unsigned int what = rnd(m, 10);
		int i = alive_at(m);
		if (what < 3 || i < 0) { /* create */
			if (m->n == MAXOBJ)
				continue;
			i = m->n++;
			model_obj *o = &m->objs[i];
			memset(o, 0, sizeof *o);
			o->oid = rnd(m, 8) == 0 ? 0 : 1000u + (unsigned)i;
			o->alive = 1;
			place(m, o);
		} else if (what < 6) { /* edit */
			m->objs[i].version++;
		} else if (what < 8) { /* drop: by OID, or vanishing with nothing said of it */
			if (m->objs[i].oid == 0)
				continue;
			m->objs[i].alive = 0;
			replaced[(*nreplaced)++] = m->objs[i].oid;
			continue;
		} else { /* rename, or move to another schema */
			if (m->objs[i].oid == 0)
				continue;
			place(m, &m->objs[i]);
		}
		if (m->objs[i].oid)
			replaced[(*nreplaced)++] = m->objs[i].oid;
		touched[ntouched++] = i;
	}
	/* An edit of an object the change also dropped or moved leaves one capture. */
	for (int t = 0; t < ntouched; t++) {
		int dup = 0;
		for (int u = 0; u < t; u++)
			dup |= touched[u] == touched[t];
		if (!dup && m->objs[touched[t]].alive)
			add_obj(cap, &m->objs[touched[t]]);
	}
	/* An unchanged object captured again, as a dependent is. */
	int same = alive_at(m);
	if (same >= 0 && rnd(m, 2)) {
		int dup = 0;
		for (int t = 0; t < ntouched; t++)
			dup |= touched[t] == same;
		if (!dup)
			add_obj(cap, &m->objs[same]);
	}
	for (size_t a = 1; a < *nreplaced; a++) /* sorted, as touched.h's scope is */
		for (size_t b = a; b > 0 && replaced[b - 1] > replaced[b]; b--) {
			unsigned int x = replaced[b];
			replaced[b] = replaced[b - 1];
			replaced[b - 1] = x;
		}
}

static void assert_same(const ds_snapshot *a, const ds_snapshot *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		assert_string_equal(a->entries[i].path, b->entries[i].path);
		assert_int_equal(ds_oid_cmp(&a->entries[i].blob, &b->entries[i].blob), 0);
		assert_int_equal(a->entries[i].obj.oid, b->entries[i].obj.oid);
	}
	assert_int_equal(ds_oid_cmp(&a->tree, &b->tree), 0);
}

/* A temporary directory holding a new repository that every tree goes into. */
typedef struct {
	char dir[32];
	char gitdir[64];
	ds_gitrepo *repo; /* NULL once the test has closed it */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/ddlsnap-snapshot-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->gitdir, sizeof f->gitdir, "%s/repo.git", f->dir);
	assert_int_equal(ds_gitrepo_open(&f->repo, f->gitdir, 1), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[64];
	ds_gitrepo_free(f->repo);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void test_apply_matches_full_build(void **state)
{
	fixture *f = *state;
	ds_gitrepo *repo = f->repo;
	const char *gitdir = f->gitdir;
	char cmd[256];

	static model m;
	memset(&m, 0, sizeof m);
	m.seed = 42;
	ds_snapshot inc = { 0 }, before = { 0 };
	full(&m, &inc); /* empty */
	full(&m, &before);
	size_t folders_emptied = 0, max_entries = 0;
	for (int step = 0; step < 3000; step++) {
		ds_capture cap = { 0 };
		unsigned int replaced[16];
		size_t nreplaced;
		random_change(&m, &cap, replaced, &nreplaced);
		ds_buf got = DS_BUF_INIT, want = DS_BUF_INIT;
		size_t folders = inc.nfolders;
		assert_int_equal(ds_snapshot_apply(&inc, replaced, nreplaced, &cap, to_repo, repo,
						   record, &got),
				 0);
		ds_capture_free(&cap);
		folders_emptied += inc.nfolders < folders;
		ds_snapshot after = { 0 };
		full(&m, &after);
		assert_same(&inc, &after);
		assert_int_equal(ds_snapshot_diff(&before, &after, record, &want), 0);
		assert_string_equal(ds_buf_cstr(&got), ds_buf_cstr(&want));
		ds_buf_free(&got);
		ds_buf_free(&want);
		ds_snapshot_free(&before);
		before = after;
		if (inc.n > max_entries)
			max_entries = inc.n;
	}
	/* The run did what it is meant to test. */
	assert_true(max_entries > 150);
	assert_true(folders_emptied > 0);

	assert_int_equal(ds_gitrepo_flush(repo), 0);
	ds_gitrepo_free(repo);
	f->repo = NULL;
	snprintf(cmd, sizeof cmd, "git --git-dir='%s' fsck --strict --no-dangling 2>&1", gitdir);
	assert_int_equal(run_cmd(cmd, NULL), 0);
	char hex[DS_OID_HEXSZ + 1];
	ds_oid_fmt(hex, &inc.tree);
	ds_buf listed = DS_BUF_INIT, expected = DS_BUF_INIT;
	snprintf(cmd, sizeof cmd, "git --git-dir='%s' ls-tree -r --full-name %s | LC_ALL=C sort -t '\t' -k2,2",
		 gitdir, hex);
	assert_int_equal(run_cmd(cmd, &listed), 0);
	for (size_t i = 0; i < inc.n; i++) {
		ds_oid_fmt(hex, &inc.entries[i].blob);
		ds_buf_printf(&expected, "100644 blob %s\t%s\n", hex, inc.entries[i].path);
	}
	/* `git ls-tree` quotes paths with unusual bytes; these have none but the space. */
	assert_string_equal(ds_buf_cstr(&listed), ds_buf_cstr(&expected));
	ds_buf_free(&listed);
	ds_buf_free(&expected);
	ds_snapshot_free(&inc);
	ds_snapshot_free(&before);
}

/* A snapshot read back from its trees is updated as one built from a capture. */
static int from_repo(void *payload, const ds_oid *oid, ds_objtype *type, ds_buf *body)
{
	return ds_gitrepo_get(payload, oid, type, body);
}

static void test_apply_to_loaded_snapshot(void **state)
{
	fixture *f = *state;
	ds_gitrepo *repo = f->repo;

	static model m;
	memset(&m, 0, sizeof m);
	m.seed = 7;
	for (int i = 0; i < 60; i++) {
		model_obj *o = &m.objs[m.n++];
		o->oid = 5000u + (unsigned)i;
		o->alive = 1;
		place(&m, o);
	}
	ds_capture cap = { 0 };
	for (int i = 0; i < m.n; i++)
		add_obj(&cap, &m.objs[i]);
	ds_snapshot built = { 0 }, loaded = { 0 };
	assert_int_equal(ds_snapshot_build(&built, &cap, to_repo, repo), 0);
	ds_capture_free(&cap);
	assert_int_equal(ds_snapshot_load(&loaded, &built.tree, from_repo, repo), 0);
	assert_int_equal(loaded.nfolders, 0);

	/* One object edited: a loaded snapshot knows no OIDs, so it is recaptured at its path. */
	m.objs[3].version++;
	ds_capture one = { 0 };
	add_obj(&one, &m.objs[3]);
	ds_buf got = DS_BUF_INIT;
	assert_int_equal(ds_snapshot_apply(&loaded, NULL, 0, &one, to_repo, repo, record, &got), 0);
	ds_capture_free(&one);
	ds_snapshot want = { 0 };
	full(&m, &want);
	assert_int_equal(ds_oid_cmp(&loaded.tree, &want.tree), 0);
	assert_int_equal(loaded.n, want.n);
	ds_buf line = DS_BUF_INIT;
	ds_snapshot_diff(&built, &want, record, &line);
	assert_string_equal(ds_buf_cstr(&got), ds_buf_cstr(&line));
	ds_buf_free(&got);
	ds_buf_free(&line);
	ds_snapshot_free(&want);
	ds_snapshot_free(&built);
	ds_snapshot_free(&loaded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_matches_full_build, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_to_loaded_snapshot, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
