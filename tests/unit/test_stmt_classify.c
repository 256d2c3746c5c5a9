/* test_stmt_classify.c - what the replayer does with each kind of statement
 * of a migration file (stmt.h), decided on libpg_query's parse tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "ddlsnap/stmt.h"

/* Split text, which must hold exactly one statement, and keep it in *l. */
static const ds_stmt *one(ds_stmt_list *l, const char *text)
{
	assert_int_equal(ds_stmt_split(l, text), 0);
	assert_int_equal(l->n, 1);
	return &l->items[0];
}

static void check(const char *text, ds_stmt_class cls, ds_txn_kind txn, unsigned flags)
{
	ds_stmt_list l;
	const ds_stmt *s = one(&l, text);
	if (s->cls != cls || s->txn != txn || s->flags != flags)
		fail_msg("%s: class %s txn %d flags %u, want %s %d %u", text,
			 ds_stmt_class_name(s->cls), s->txn, s->flags, ds_stmt_class_name(cls), txn,
			 flags);
	ds_stmt_list_free(&l);
}

static void transaction_control(void **state)
{
	(void)state;
	check("BEGIN", DS_STMT_TRANSACTION, DS_TXN_BEGIN, 0);
	check("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", DS_STMT_TRANSACTION, DS_TXN_BEGIN, 0);
	check("COMMIT", DS_STMT_TRANSACTION, DS_TXN_COMMIT, 0);
	check("END", DS_STMT_TRANSACTION, DS_TXN_COMMIT, 0);
	check("COMMIT AND CHAIN", DS_STMT_TRANSACTION, DS_TXN_COMMIT_CHAIN, 0);
	check("ROLLBACK", DS_STMT_TRANSACTION, DS_TXN_ROLLBACK, 0);
	check("ABORT", DS_STMT_TRANSACTION, DS_TXN_ROLLBACK, 0);
	check("ROLLBACK AND CHAIN", DS_STMT_TRANSACTION, DS_TXN_ROLLBACK_CHAIN, 0);
	check("SAVEPOINT a", DS_STMT_TRANSACTION, DS_TXN_SAVEPOINT, 0);
	check("RELEASE SAVEPOINT a", DS_STMT_TRANSACTION, DS_TXN_SAVEPOINT, 0);
	check("ROLLBACK TO SAVEPOINT a", DS_STMT_TRANSACTION, DS_TXN_SAVEPOINT, 0);
	check("ROLLBACK TO a", DS_STMT_TRANSACTION, DS_TXN_SAVEPOINT, 0);
	check("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", DS_STMT_TRANSACTION,
	      DS_TXN_SETTING, 0);
	check("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", DS_STMT_TRANSACTION,
	      DS_TXN_SETTING, 0);
	/* the same settings by their names (the gate's take() needs a writable transaction) */
	check("SET transaction_read_only = on", DS_STMT_TRANSACTION, DS_TXN_SETTING, 0);
	check("SET LOCAL transaction_isolation TO 'serializable'", DS_STMT_TRANSACTION,
	      DS_TXN_SETTING, 0);
	check("SET transaction_deferrable = true", DS_STMT_TRANSACTION, DS_TXN_SETTING, 0);
	check("SET default_transaction_read_only = off", DS_STMT_RUN, DS_TXN_NONE, 0);
	/* two-phase commit cannot be replayed: the change fails */
	check("PREPARE TRANSACTION 'x'", DS_STMT_UNSUPPORTED, DS_TXN_NONE, 0);
	check("COMMIT PREPARED 'x'", DS_STMT_UNSUPPORTED, DS_TXN_NONE, 0);
	check("ROLLBACK PREPARED 'x'", DS_STMT_UNSUPPORTED, DS_TXN_NONE, 0);
}

static void outside_a_transaction_block(void **state)
{
	(void)state;
	check("CREATE INDEX CONCURRENTLY i ON t (a)", DS_STMT_RUN, DS_TXN_NONE,
	      DS_STMT_CONCURRENTLY);
	check("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)", DS_STMT_RUN, DS_TXN_NONE,
	      DS_STMT_CONCURRENTLY);
	check("create index i on t (a)", DS_STMT_RUN, DS_TXN_NONE, 0);
	check("DROP INDEX CONCURRENTLY IF EXISTS i", DS_STMT_RUN, DS_TXN_NONE, DS_STMT_CONCURRENTLY);
	check("DROP INDEX i", DS_STMT_RUN, DS_TXN_NONE, 0);
	check("ALTER TABLE t DETACH PARTITION p CONCURRENTLY", DS_STMT_RUN, DS_TXN_NONE,
	      DS_STMT_CONCURRENTLY);
	check("ALTER TABLE t DETACH PARTITION p", DS_STMT_RUN, DS_TXN_NONE, 0);
	check("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'x' BEFORE 'y'", DS_STMT_RUN, DS_TXN_NONE,
	      DS_STMT_ADDS_ENUM_VALUE);
	check("ALTER TYPE mood RENAME VALUE 'x' TO 'y'", DS_STMT_RUN, DS_TXN_NONE, 0);
	check("CALL backfill(1)", DS_STMT_RUN, DS_TXN_NONE, DS_STMT_MAY_COMMIT);
	check("DO $$ BEGIN COMMIT; END $$", DS_STMT_RUN, DS_TXN_NONE, DS_STMT_MAY_COMMIT);
}

static void maintenance_is_skipped(void **state)
{
	(void)state;
	check("VACUUM", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	check("VACUUM (ANALYZE, VERBOSE) t", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	check("ANALYZE t", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	check("REINDEX TABLE CONCURRENTLY t", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	check("REINDEX DATABASE d", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	/* CHECKPOINT is server-wide: refused (refuse.c), not skipped */
	check("CHECKPOINT", DS_STMT_REFUSED, DS_TXN_NONE, 0);
	check("CLUSTER", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	check("DISCARD ALL", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	check("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	check("NOTIFY c", DS_STMT_MAINTENANCE, DS_TXN_NONE, 0);
	/* CLUSTER t USING i marks the clustered index: schema, it runs */
	check("CLUSTER t USING i", DS_STMT_RUN, DS_TXN_NONE, 0);
}

static void dml_and_queries(void **state)
{
	(void)state;
	check("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", DS_STMT_DML, DS_TXN_NONE, 0);
	check("WITH x AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM x", DS_STMT_DML,
	      DS_TXN_NONE, 0);
	check("MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE", DS_STMT_DML,
	      DS_TXN_NONE, 0);
	check("COPY t (a) FROM STDIN", DS_STMT_DML, DS_TXN_NONE, 0);
	check("PREPARE p AS INSERT INTO t VALUES ($1)", DS_STMT_DML, DS_TXN_NONE, 0);
	check("EXECUTE p(1)", DS_STMT_DML, DS_TXN_NONE, 0);
	check("SHOW search_path", DS_STMT_QUERY, DS_TXN_NONE, 0);
	check("EXPLAIN ANALYZE DELETE FROM t", DS_STMT_QUERY, DS_TXN_NONE, 0);
	check("VALUES (1)", DS_STMT_QUERY, DS_TXN_NONE, 0);
	/* SELECT INTO creates a table */
	check("SELECT 1 AS a INTO t", DS_STMT_RUN, DS_TXN_NONE, 0);
	/* set_config acts like SET: it runs, qualified or not */
	check("SELECT pg_catalog.set_config('search_path', '', false)", DS_STMT_RUN, DS_TXN_NONE,
	      DS_STMT_SETS_CONFIG);
	check("select set_config('check_function_bodies', 'off', true)", DS_STMT_RUN, DS_TXN_NONE,
	      DS_STMT_SETS_CONFIG);
	/* another schema's set_config is a user function, looked up in the shadow */
	check("SELECT app.set_config('x')", DS_STMT_QUERY, DS_TXN_NONE, 0);
	check("SET search_path = app, public", DS_STMT_RUN, DS_TXN_NONE, 0);
	/* another role: refused (refuse.c); the replay role runs history */
	check("SET ROLE app_owner", DS_STMT_REFUSED, DS_TXN_NONE, 0);
	check("RESET ALL", DS_STMT_RUN, DS_TXN_NONE, 0);
}

/* The names a query calls, each once, pg_catalog's left out, from every clause. */
static void query_function_names(void **state)
{
	(void)state;
	ds_stmt_list l;
	const ds_stmt *s = one(&l, "WITH c AS (SELECT app.mk(1)) SELECT now(), pg_catalog.lower('A'),"
				   " mk(2), app.mk(3), mk(4) FROM generate_series(1, 2)"
				   " WHERE EXISTS (SELECT \"Odd\"(x) FROM c)");
	assert_int_equal(s->cls, DS_STMT_QUERY);
	assert_int_equal(s->nfuncs, 5);
	const char *want[][2] = {
		{"app", "mk"}, {NULL, "now"}, {NULL, "mk"}, {NULL, "generate_series"}, {NULL, "Odd"},
	};
	for (size_t w = 0; w < 5; w++) {
		int found = 0;
		for (size_t i = 0; i < s->nfuncs; i++)
			found += strcmp(s->funcs[i].name, want[w][1]) == 0 &&
				 ((!want[w][0] && !s->funcs[i].nsp) ||
				  (want[w][0] && s->funcs[i].nsp &&
				   strcmp(s->funcs[i].nsp, want[w][0]) == 0));
		if (found != 1)
			fail_msg("%s.%s found %d times", want[w][0] ? want[w][0] : "", want[w][1],
				 found);
	}
	ds_stmt_list_free(&l);

	s = one(&l, "SELECT 1, 'f()', a.b FROM t AS a");
	assert_int_equal(s->cls, DS_STMT_QUERY);
	assert_int_equal(s->nfuncs, 0);
	ds_stmt_list_free(&l);
}

/* The statement without CONCURRENTLY must parse to the same statement with
 * concurrent = false. */
static void cut(const char *in, const char *want)
{
	char *got = ds_stmt_cut_concurrently(in);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	ds_stmt_list l;
	const ds_stmt *s = one(&l, got);
	assert_int_equal(s->flags & DS_STMT_CONCURRENTLY, 0);
	ds_stmt_list_free(&l);
	free(got);
}

static void cuts_concurrently(void **state)
{
	(void)state;
	cut("CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX i ON t (a)");
	cut("create unique index\nconcurrently\n  if not exists \"concurrently\" on t (a)",
	    "create unique index\nif not exists \"concurrently\" on t (a)");
	cut("CREATE INDEX /* concurrently */ CONCURRENTLY i ON t ((a || 'concurrently'))",
	    "CREATE INDEX /* concurrently */ i ON t ((a || 'concurrently'))");
	cut("DROP INDEX CONCURRENTLY IF EXISTS i", "DROP INDEX IF EXISTS i");
	cut("ALTER TABLE t DETACH PARTITION p CONCURRENTLY", "ALTER TABLE t DETACH PARTITION p ");
	cut("CREATE INDEX i ON t (a)", NULL);
	cut("CREATE INDEX \"concurrently\" ON t (a)", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transaction_control),
		cmocka_unit_test(outside_a_transaction_block),
		cmocka_unit_test(maintenance_is_skipped),
		cmocka_unit_test(dml_and_queries),
		cmocka_unit_test(query_function_names),
		cmocka_unit_test(cuts_concurrently),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	pg_query_exit();
	return rc;
}
