/*
 * test_gitrepo.c - the git sink writes a pack per flush, not loose objects,
 * and reads back what is still in memory and what is in packs; checked with
 * the git binary (count-objects, fsck --strict, cat-file).
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
#include <unistd.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/gitrepo.h"
#include "run_cmd.h"

typedef struct {
	char dir[64];      /* temp dir */
	char gitdir[128];  /* the bare repository in it */
} fixture;

/* Run "git <args>" on the repository; stdout (and stderr) into out. Returns the exit status. */
static int git(fixture *f, const char *args, ds_buf *out)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "GIT_DIR='%s' git %s 2>&1", f->gitdir, args);
	return run_cmd(cmd, out);
}

/* One field of `git count-objects -v` ("count", "packs"...). */
static long count_objects(fixture *f, const char *field)
{
	ds_buf out = DS_BUF_INIT;
	assert_int_equal(git(f, "count-objects -v", &out), 0);
	char key[32];
	snprintf(key, sizeof key, "%s: ", field);
	const char *at = strstr(ds_buf_cstr(&out), key);
	assert_non_null(at);
	long v = strtol(at + strlen(key), NULL, 10);
	ds_buf_free(&out);
	return v;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/ddlsnap-gitrepo-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->gitdir, sizeof f->gitdir, "%s/repo.git", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void put(ds_gitrepo *r, ds_objtype type, const ds_buf *body, ds_oid *oid)
{
	ds_oid_hash(oid, type, body->ptr, body->len);
	assert_int_equal(ds_gitrepo_put(r, type, oid, body->ptr, body->len), 0);
}

/* A blob, a tree holding it and a commit of the tree; returns the commit. */
static void put_history(ds_gitrepo *r, const char *text, const ds_oid *parent, ds_oid *commit)
{
	ds_buf blob = DS_BUF_INIT, tree = DS_BUF_INIT, body = DS_BUF_INIT;
	ds_tree_entry e = {.name = "t.sql", .mode = DS_MODE_BLOB};
	ds_buf_puts(&blob, text);
	put(r, DS_OBJ_BLOB, &blob, &e.oid);
	assert_int_equal(ds_tree_encode(&tree, &e, 1), 0);
	ds_commit c = {.parents = parent, .nparents = parent ? 1 : 0,
		       .author = {"a", "a@example.com", 1700000000, 0},
		       .committer = {"a", "a@example.com", 1700000000, 0},
		       .message = "change\n"};
	put(r, DS_OBJ_TREE, &tree, &c.tree);
	assert_int_equal(ds_commit_encode(&body, &c), 0);
	put(r, DS_OBJ_COMMIT, &body, commit);
	ds_buf_free(&blob);
	ds_buf_free(&tree);
	ds_buf_free(&body);
}

static void assert_reads(ds_gitrepo *r, const ds_oid *oid, ds_objtype want)
{
	ds_buf body = DS_BUF_INIT;
	ds_objtype type;
	ds_oid again;
	assert_int_equal(ds_gitrepo_get(r, oid, &type, &body), 0);
	assert_int_equal(type, want);
	ds_oid_hash(&again, type, body.ptr, body.len);
	assert_int_equal(ds_oid_cmp(&again, oid), 0);
	ds_buf_free(&body);
}

static void test_a_pack_per_flush(void **state)
{
	fixture *f = *state;
	ds_gitrepo *r = NULL;
	ds_oid first, second;
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 1), 0);

	put_history(r, "CREATE TABLE t (a int);\n", NULL, &first);
	/* Nothing on disk yet, but the objects read back from memory. */
	assert_reads(r, &first, DS_OBJ_COMMIT);
	assert_int_equal(count_objects(f, "count"), 0);
	assert_int_equal(count_objects(f, "packs"), 0);

	assert_int_equal(ds_gitrepo_flush(r), 0);
	assert_int_equal(count_objects(f, "count"), 0);
	assert_int_equal(count_objects(f, "packs"), 1);
	assert_int_equal(count_objects(f, "in-pack"), 3);
	/* Flushing with nothing pending writes no empty pack. */
	assert_int_equal(ds_gitrepo_flush(r), 0);
	assert_int_equal(count_objects(f, "packs"), 1);

	/* The second batch: an object already packed is not written again. */
	put_history(r, "CREATE TABLE t (a int, b int);\n", &first, &second);
	put_history(r, "CREATE TABLE t (a int);\n", NULL, &first);
	assert_int_equal(ds_gitrepo_set_ref(r, DS_MAIN_REF, &second, "test"), 0);
	assert_int_equal(count_objects(f, "count"), 0);
	assert_int_equal(count_objects(f, "packs"), 2);
	assert_int_equal(count_objects(f, "in-pack"), 6);
	assert_reads(r, &first, DS_OBJ_COMMIT);
	ds_gitrepo_free(r);

	ds_buf out = DS_BUF_INIT;
	assert_int_equal(git(f, "fsck --strict --no-dangling --no-progress", &out), 0);
	assert_string_equal(ds_buf_cstr(&out), "");
	ds_buf_clear(&out);
	assert_int_equal(git(f, "cat-file -p main~1:t.sql", &out), 0);
	assert_string_equal(ds_buf_cstr(&out), "CREATE TABLE t (a int);\n");
	ds_buf_free(&out);

	/* Reopened: the objects are read from the packs. */
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 0), 0);
	assert_reads(r, &first, DS_OBJ_COMMIT);
	assert_reads(r, &second, DS_OBJ_COMMIT);
	ds_gitrepo_free(r);
}

static void test_free_writes_what_was_put(void **state)
{
	fixture *f = *state;
	ds_gitrepo *r = NULL;
	ds_oid commit;
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 1), 0);
	put_history(r, "CREATE VIEW v AS SELECT 1;\n", NULL, &commit);
	ds_gitrepo_free(r);
	assert_int_equal(count_objects(f, "packs"), 1);
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 0), 0);
	assert_reads(r, &commit, DS_OBJ_COMMIT);
	ds_gitrepo_free(r);
}

/* A pack holds exactly the objects put since the last flush: none that an
 * earlier pack holds (though the new tree names them), and objects no
 * commit reaches too. */
static void test_pack_holds_what_was_put(void **state)
{
	fixture *f = *state;
	ds_gitrepo *r = NULL;
	ds_oid commit;
	ds_buf a = DS_BUF_INIT, b = DS_BUF_INIT, tree = DS_BUF_INIT, body = DS_BUF_INIT;
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 1), 0);
	put_history(r, "CREATE TABLE a ();\n", NULL, &commit);
	assert_int_equal(ds_gitrepo_flush(r), 0);

	ds_tree_entry e[2] = {{.name = "a.sql", .mode = DS_MODE_BLOB},
			      {.name = "b.sql", .mode = DS_MODE_BLOB}};
	ds_buf_puts(&a, "CREATE TABLE a ();\n");
	ds_buf_puts(&b, "CREATE TABLE b ();\n");
	put(r, DS_OBJ_BLOB, &a, &e[0].oid); /* packed already: not again */
	put(r, DS_OBJ_BLOB, &b, &e[1].oid);
	assert_int_equal(ds_tree_encode(&tree, e, 2), 0);
	ds_commit c = {.parents = &commit, .nparents = 1,
		       .author = {"a", "a@example.com", 1700000000, 0},
		       .committer = {"a", "a@example.com", 1700000000, 0},
		       .message = "b\n"};
	put(r, DS_OBJ_TREE, &tree, &c.tree);
	assert_int_equal(ds_commit_encode(&body, &c), 0);
	put(r, DS_OBJ_COMMIT, &body, &commit);
	assert_int_equal(ds_gitrepo_flush(r), 0);
	assert_int_equal(count_objects(f, "in-pack"), 6);

	/* A blob alone, reached by no commit. */
	ds_oid lone;
	ds_buf_clear(&a);
	ds_buf_puts(&a, "lonely\n");
	put(r, DS_OBJ_BLOB, &a, &lone);
	assert_int_equal(ds_gitrepo_flush(r), 0);
	assert_int_equal(count_objects(f, "packs"), 3);
	assert_int_equal(count_objects(f, "in-pack"), 7);
	ds_gitrepo_free(r);
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 0), 0);
	assert_reads(r, &lone, DS_OBJ_BLOB);
	assert_reads(r, &commit, DS_OBJ_COMMIT);
	ds_gitrepo_free(r);
	ds_buf_free(&a);
	ds_buf_free(&b);
	ds_buf_free(&tree);
	ds_buf_free(&body);
}

/* A blob of its own text, put and flushed: one pack. */
static void put_blob_pack(ds_gitrepo *r, int i, ds_oid *oid)
{
	ds_buf text = DS_BUF_INIT;
	ds_buf_printf(&text, "CREATE TABLE t%d ();\n", i);
	put(r, DS_OBJ_BLOB, &text, oid);
	assert_int_equal(ds_gitrepo_flush(r), 0);
	ds_buf_free(&text);
}

/*
 * Every 16 packs the multi-pack-index is written again, so that looking an
 * object up (every put does) searches it and the few packs written since,
 * not one pack per batch. git must accept it, and objects in packs it
 * covers and in packs it does not are still found, not written again.
 */
static void test_multi_pack_index(void **state)
{
	fixture *f = *state;
	ds_gitrepo *r = NULL;
	ds_oid blobs[40], again;
	char path[256];
	snprintf(path, sizeof path, "%s/objects/pack/multi-pack-index", f->gitdir);
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 1), 0);
	for (int i = 0; i < 15; i++)
		put_blob_pack(r, i, &blobs[i]);
	assert_int_equal(access(path, F_OK), -1);
	for (int i = 15; i < 40; i++)
		put_blob_pack(r, i, &blobs[i]);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(count_objects(f, "packs"), 40);

	/* Covered by the index (pack 1) and not (pack 40): neither is added. */
	put_blob_pack(r, 0, &again);
	put_blob_pack(r, 39, &again);
	assert_int_equal(count_objects(f, "packs"), 40);
	ds_gitrepo_free(r);

	/* No refs here: fsck's notices about that are not errors. */
	assert_int_equal(git(f, "multi-pack-index verify --no-progress", NULL), 0);
	assert_int_equal(git(f, "fsck --strict --no-dangling --no-progress", NULL), 0);
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 0), 0);
	for (int i = 0; i < 40; i++)
		assert_reads(r, &blobs[i], DS_OBJ_BLOB);
	ds_gitrepo_free(r);
}

/* Dropping the packs' caches keeps every object readable, flushes what is pending,
 * and the repository takes new objects after it. */
static void test_drop_caches(void **state)
{
	fixture *f = *state;
	ds_gitrepo *r = NULL;
	ds_oid first, pending, later;
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 1), 0);
	put_history(r, "CREATE TABLE a ();\n", NULL, &first);
	assert_int_equal(ds_gitrepo_flush(r), 0);
	assert_reads(r, &first, DS_OBJ_COMMIT);
	put_history(r, "CREATE TABLE b ();\n", &first, &pending);
	assert_int_equal(ds_gitrepo_drop_caches(r), 0);
	assert_int_equal(count_objects(f, "packs"), 2);
	assert_reads(r, &first, DS_OBJ_COMMIT);
	assert_reads(r, &pending, DS_OBJ_COMMIT);
	put_history(r, "CREATE TABLE c ();\n", &pending, &later);
	assert_reads(r, &later, DS_OBJ_COMMIT);
	assert_int_equal(ds_gitrepo_drop_caches(r), 0);
	assert_reads(r, &later, DS_OBJ_COMMIT);
	assert_int_equal(count_objects(f, "packs"), 3);
	ds_gitrepo_free(r);
	assert_int_equal(git(f, "fsck --strict --no-dangling --no-progress", NULL), 0);
}

static void test_wrong_id_refused(void **state)
{
	fixture *f = *state;
	ds_gitrepo *r = NULL;
	ds_oid wrong;
	assert_int_equal(ds_gitrepo_open(&r, f->gitdir, 1), 0);
	ds_oid_hash(&wrong, DS_OBJ_BLOB, "other", 5);
	assert_int_equal(ds_gitrepo_put(r, DS_OBJ_BLOB, &wrong, "body", 4), DS_EIO);
	assert_non_null(strstr(ds_error_last(), "git named blob"));
	ds_gitrepo_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_pack_per_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_writes_what_was_put, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack_holds_what_was_put, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multi_pack_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_caches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_id_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
