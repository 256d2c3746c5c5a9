/* test_stmt.c - statement splitting and classification on libpg_query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ddlsnap/error.h"
#include "ddlsnap/stmt.h"

static void splits_migration_file(void **state)
{
	(void)state;
	const char *text = "BEGIN;\n"
			   "CREATE TABLE a (id int PRIMARY KEY);\n"
			   "INSERT INTO a VALUES (1);\n"
			   "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n"
			   "  COMMIT;";
	ds_stmt_list l;
	assert_int_equal(ds_stmt_split(&l, text), 0);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.items[0].cls, DS_STMT_TRANSACTION);
	assert_string_equal(l.items[1].sql, "CREATE TABLE a (id int PRIMARY KEY)");
	assert_int_equal(l.items[1].cls, DS_STMT_RUN);
	assert_int_equal(l.items[1].line, 2);
	assert_int_equal(l.items[2].cls, DS_STMT_DML);
	/* the ';' inside the dollar-quoted body does not split */
	assert_string_equal(l.items[3].sql,
			    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$");
	assert_int_equal(l.items[4].cls, DS_STMT_TRANSACTION);
	assert_int_equal(l.items[4].line, 5);
	ds_stmt_list_free(&l);
}

static void last_statement_without_semicolon(void **state)
{
	(void)state;
	ds_stmt_list l;
	assert_int_equal(ds_stmt_split(&l, "create view v as select 1 as x"), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].sql, "create view v as select 1 as x");
	ds_stmt_list_free(&l);
}

static void classifies_dml_and_keeps_do_and_select(void **state)
{
	(void)state;
	ds_stmt_list l;
	assert_int_equal(ds_stmt_split(&l, "UPDATE t SET a = 1; DELETE FROM t; COPY t FROM stdin;"
					   "DO $$ BEGIN EXECUTE 'create table x()'; END $$;"
					   "SELECT make_tables(); SAVEPOINT s; ROLLBACK TO s;"),
			 0);
	assert_int_equal(l.n, 7);
	assert_int_equal(l.items[0].cls, DS_STMT_DML);
	assert_int_equal(l.items[1].cls, DS_STMT_DML);
	assert_int_equal(l.items[2].cls, DS_STMT_DML);
	assert_int_equal(l.items[3].cls, DS_STMT_RUN);
	/* a SELECT of a function the replayer looks up in the shadow */
	assert_int_equal(l.items[4].cls, DS_STMT_QUERY);
	assert_int_equal(l.items[4].nfuncs, 1);
	assert_string_equal(l.items[4].funcs[0].name, "make_tables");
	assert_int_equal(l.items[5].cls, DS_STMT_TRANSACTION);
	assert_int_equal(l.items[6].cls, DS_STMT_TRANSACTION);
	ds_stmt_list_free(&l);
}

static void syntax_error_names_line(void **state)
{
	(void)state;
	ds_stmt_list l;
	assert_int_equal(ds_stmt_split(&l, "create table a (id int);\ncreate tabel b (id int);"),
			 DS_EINVALID);
	assert_non_null(strstr(ds_error_last(), "syntax error"));
	assert_non_null(strstr(ds_error_last(), "line 2"));
	assert_int_equal(l.n, 0);
}

static void empty_text_has_no_statements(void **state)
{
	(void)state;
	ds_stmt_list l;
	assert_int_equal(ds_stmt_split(&l, "  -- only a comment\n"), 0);
	assert_int_equal(l.n, 0);
	ds_stmt_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(splits_migration_file),
		cmocka_unit_test(last_statement_without_semicolon),
		cmocka_unit_test(classifies_dml_and_keeps_do_and_select),
		cmocka_unit_test(syntax_error_names_line),
		cmocka_unit_test(empty_text_has_no_statements),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
