/*
 * test_store.c - the v2 store's bulk writes against a real PostgreSQL (run
 * under tests/harness/with-pg.sh).
 *
 * Rows are held in memory and COPYed at a flush, so the test checks what
 * COPY's text format could get wrong (tabs, newlines, backslashes, "\N",
 * NUL and high bytes in bodies, NULL fields), that reads inside a batch see
 * its pending rows, that a rollback leaves nothing, that writing the same
 * batch again adds nothing, and that a batch bigger than the flush threshold
 * is stored whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/store.h"

static const char body_odd[] = "a\tb\nc\\d\\N\r\0e\xff\x80 end";
#define BODY_ODD_LEN (sizeof body_odd - 1)

typedef struct {
	PGconn *conn;
	ds_store *store;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	PGconn *admin = NULL;
	if (ds_db_connect(&admin, "", NULL) != 0)
		fail_msg("%s", ds_error_last());
	PQclear(PQexec(admin, "DROP DATABASE IF EXISTS store_test"));
	PQclear(PQexec(admin, "CREATE DATABASE store_test"));
	PQfinish(admin);
	if (ds_db_connect(&f->conn, "", "store_test") != 0 || ds_store_open(&f->store, f->conn) != 0)
		fail_msg("%s", ds_error_last());
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	ds_store_free(f->store);
	PQfinish(f->conn);
	free(f);
	return 0;
}

static char *scalar(fixture *f, const char *sql)
{
	PGresult *res = NULL;
	if (ds_db_query(f->conn, &res, sql, 0, NULL) != 0)
		fail_msg("%s", ds_error_last());
	assert_int_equal(PQntuples(res), 1);
	char *v = ds_xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static void assert_scalar(fixture *f, const char *sql, const char *want)
{
	char *got = scalar(f, sql);
	assert_string_equal(got, want);
	free(got);
}

static const char *counts_sql =
	"SELECT (SELECT count(*) FROM pggit_v2.objects) || ' ' ||"
	" (SELECT count(*) FROM pggit_v2.tree_entries) || ' ' ||"
	" (SELECT count(*) FROM pggit_v2.commit_graph) || ' ' ||"
	" (SELECT count(*) FROM pggit_audit.changes) || ' ' ||"
	" (SELECT count(*) FROM pggit_v2.failed_changes)";

typedef struct {
	ds_oid blob, tree, commit;
} written;

/* One batch's worth of every kind of row, with awkward values. */
static void put_batch(fixture *f, written *w)
{
	ds_buf tree = DS_BUF_INIT, commit = DS_BUF_INIT;
	ds_oid_hash(&w->blob, DS_OBJ_BLOB, body_odd, BODY_ODD_LEN);
	assert_int_equal(ds_store_put_object(f->store, DS_OBJ_BLOB, &w->blob, body_odd, BODY_ODD_LEN),
			 0);
	ds_tree_entry e = {.name = "we\\ird\tname.sql", .mode = DS_MODE_BLOB, .oid = w->blob};
	assert_int_equal(ds_tree_encode(&tree, &e, 1), 0);
	ds_oid_hash(&w->tree, DS_OBJ_TREE, tree.ptr, tree.len);
	assert_int_equal(ds_store_put_object(f->store, DS_OBJ_TREE, &w->tree, tree.ptr, tree.len), 0);
	ds_commit c = {.tree = w->tree,
		       .author = {"a", "a@example.com", 1700000000, 0},
		       .committer = {"a", "a@example.com", 1700000000, 0},
		       .message = "line one\n\tline \\two\n"};
	assert_int_equal(ds_commit_encode(&commit, &c), 0);
	ds_oid_hash(&w->commit, DS_OBJ_COMMIT, commit.ptr, commit.len);
	assert_int_equal(ds_store_put_object(f->store, DS_OBJ_COMMIT, &w->commit, commit.ptr,
					     commit.len),
			 0);
	const int64_t ids[] = {7, 8};
	ds_commit_row row = {.commit = w->commit, .tree = w->tree, .generation = 1,
			     .author = "a <a@example.com>", .when = 1700000000,
			     .message = c.message, .history_ids = ids, .nhistory_ids = 2};
	assert_int_equal(ds_store_put_commit(f->store, &row), 0);
	ds_snap_entry created = {.path = "public/table/t.sql",
				 .obj = {.schema = NULL, .kind = "table", .name = "t",
					 .ddl = "CREATE TABLE t (\n\ta text DEFAULT '\\N'\n);\n"}};
	assert_int_equal(ds_store_put_change(f->store, &row, NULL, &created), 0);
	const int64_t failed_ids[] = {9};
	ds_failure_row fr = {.history_ids = failed_ids, .nhistory_ids = 1, .statement_number = 0,
			     .statement = "CREATE TABEL\tx", .error = "syntax error\nat \"TABEL\"",
			     .sqlstate = NULL, .created_at = "2024-01-01 00:00:00"};
	assert_int_equal(ds_store_put_failure(f->store, &fr), 0);
	ds_buf_free(&tree);
	ds_buf_free(&commit);
}

static void test_rows_round_trip(void **state)
{
	fixture *f = *state;
	written w;
	ds_buf body = DS_BUF_INIT;
	ds_objtype type;

	/* A rolled back batch leaves nothing, though reads inside it saw it. */
	assert_int_equal(ds_store_begin(f->store), 0);
	put_batch(f, &w);
	assert_int_equal(ds_store_get_object(f->store, &w.blob, &type, &body), 0);
	assert_int_equal(type, DS_OBJ_BLOB);
	assert_int_equal(body.len, BODY_ODD_LEN);
	assert_memory_equal(body.ptr, body_odd, BODY_ODD_LEN);
	ds_store_rollback(f->store);
	assert_scalar(f, counts_sql, "0 0 0 0 0");

	/* Committed: every value exactly as given. */
	assert_int_equal(ds_store_begin(f->store), 0);
	put_batch(f, &w);
	assert_int_equal(ds_store_set_ref(f->store, DS_MAIN_REF, &w.commit), 0);
	assert_int_equal(ds_store_commit(f->store), 0);
	assert_scalar(f, counts_sql, "3 1 1 1 1");
	assert_int_equal(ds_store_get_object(f->store, &w.blob, &type, &body), 0);
	assert_int_equal(body.len, BODY_ODD_LEN);
	assert_memory_equal(body.ptr, body_odd, BODY_ODD_LEN);
	/* tree_entries is a view that parses the tree body ds_tree_encode wrote */
	assert_scalar(f, "SELECT path || '|' || mode || '|' || ((tree_sha, object_sha)"
			 " = (SELECT t.sha, b.sha FROM pggit_v2.objects AS t, pggit_v2.objects AS b"
			 "    WHERE t.type = 'tree' AND b.type = 'blob'))::text"
			 " FROM pggit_v2.tree_entries",
		      "we\\ird\tname.sql|100644|true");
	assert_scalar(f, "SELECT message || '|' || history_ids::text || '|' || parent_shas::text"
			 " || '|' || extract(epoch FROM committed_at) FROM pggit_v2.commit_graph",
		      "line one\n\tline \\two\n|{7,8}|{}|1700000000.000000");
	assert_scalar(f, "SELECT coalesce(object_schema, 'NULL') || '|' || new_definition || '|'"
			 " || coalesce(old_definition, 'NULL') || '|' || change_type"
			 " FROM pggit_audit.changes",
		      "NULL|CREATE TABLE t (\n\ta text DEFAULT '\\N'\n);\n|NULL|CREATE");
	assert_scalar(f, "SELECT coalesce(statement_number::text, 'NULL') || '|' || error || '|'"
			 " || coalesce(sqlstate, 'NULL') || '|' || created_at"
			 " FROM pggit_v2.failed_changes",
		      "NULL|syntax error\nat \"TABEL\"|NULL|2024-01-01 00:00:00");
	ds_oid head;
	assert_int_equal(ds_store_get_ref(f->store, DS_MAIN_REF, &head), 0);
	assert_int_equal(ds_oid_cmp(&head, &w.commit), 0);

	/* The same batch again adds nothing. */
	assert_int_equal(ds_store_begin(f->store), 0);
	put_batch(f, &w);
	assert_int_equal(ds_store_commit(f->store), 0);
	assert_scalar(f, counts_sql, "3 1 1 1 1");
	ds_buf_free(&body);
}

/* More than the flush threshold in one batch: flushed on the way, stored whole. */
static void test_big_batch(void **state)
{
	fixture *f = *state;
	enum { N = 3000, SIZE = 4096 };
	char *blob = malloc(SIZE);
	assert_int_equal(ds_store_begin(f->store), 0);
	for (int i = 0; i < N; i++) {
		ds_oid oid;
		memset(blob, 'a' + i % 26, SIZE);
		snprintf(blob, SIZE, "%d\t", i);
		ds_oid_hash(&oid, DS_OBJ_BLOB, blob, SIZE);
		assert_int_equal(ds_store_put_object(f->store, DS_OBJ_BLOB, &oid, blob, SIZE), 0);
	}
	assert_int_equal(ds_store_commit(f->store), 0);
	free(blob);
	assert_scalar(f, "SELECT count(*) || ' ' || sum(size) FROM pggit_v2.objects", "3000 12288000");
	assert_scalar(f, "SELECT count(*) FROM pg_temp.ddlsnap_stage_objects", "0");
}

/* A bad row fails the flush with a message naming the batch's history ids. */
static void test_error_names_history(void **state)
{
	fixture *f = *state;
	const int64_t ids[] = {41, 42};
	ds_oid missing;
	ds_oid_hash(&missing, DS_OBJ_COMMIT, "nothing", 7);
	ds_commit_row row = {.commit = missing, .tree = missing, .generation = 1, .author = "a",
			     .when = 1, .message = "m\n", .history_ids = ids, .nhistory_ids = 2};
	assert_int_equal(ds_store_begin(f->store), 0);
	assert_int_equal(ds_store_put_commit(f->store, &row), 0);
	assert_int_equal(ds_store_commit(f->store), DS_EDB);
	const char *msg = ds_error_last();
	assert_non_null(strstr(msg, "history 41..42"));
	assert_non_null(strstr(msg, "commit_graph"));
	/* PostgreSQL's DETAIL comes with its message, on the same line */
	assert_non_null(strstr(msg, "violates foreign key constraint \"commit_graph_commit_sha_fkey\" (Key (commit_sha)="));
	assert_non_null(strstr(msg, "is not present in table \"objects\".) (SQLSTATE 23503)"));
	assert_null(strchr(msg, '\n'));
	/* The connection is usable again, and the next batch works. */
	assert_int_equal(ds_store_begin(f->store), 0);
	ds_oid blob;
	ds_oid_hash(&blob, DS_OBJ_BLOB, "x", 1);
	assert_int_equal(ds_store_put_object(f->store, DS_OBJ_BLOB, &blob, "x", 1), 0);
	assert_int_equal(ds_store_commit(f->store), 0);
	assert_scalar(f, counts_sql, "1 0 0 0 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rows_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_names_history, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
