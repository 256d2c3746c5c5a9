/* test_commitmsg.c - commit message and author of a replayed change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/commitmsg.h"

static void one_statement_several_rows(void **state)
{
	(void)state;
	int64_t ids[] = {17, 18, 19};
	char *desc[] = {"CREATE TABLE table public.orders", "CREATE INDEX index public.orders_pkey",
			"ALTER TABLE table public.orders", "CREATE TABLE table public.orders"};
	ds_group g = {.ids = ids, .nids = 3, .descriptions = desc, .sql = "create table ..."};
	char *m = ds_commitmsg_message(&g);
	assert_string_equal(m, "CREATE TABLE table public.orders\n"
			       "\n"
			       "- CREATE INDEX index public.orders_pkey\n"
			       "- ALTER TABLE table public.orders\n"
			       "\n"
			       "History-Id: 17\n"
			       "History-Id: 18\n"
			       "History-Id: 19\n");
	free(m);
}

static void subject_falls_back_to_sql_first_line(void **state)
{
	(void)state;
	int64_t ids[] = {5};
	char *desc[] = {NULL};
	ds_group g = {.ids = ids, .nids = 1, .descriptions = desc,
		      .sql = "\n  CREATE VIEW v AS\n  SELECT 1"};
	char *m = ds_commitmsg_message(&g);
	assert_string_equal(m, "CREATE VIEW v AS\n\nHistory-Id: 5\n");
	free(m);

	g.sql = NULL;
	m = ds_commitmsg_message(&g);
	assert_string_equal(m, "History 5\n\nHistory-Id: 5\n");
	free(m);
}

static void long_subject_is_cut(void **state)
{
	(void)state;
	int64_t ids[] = {1};
	char longdesc[300];
	memset(longdesc, 'x', sizeof longdesc - 1);
	longdesc[sizeof longdesc - 1] = '\0';
	char *desc[] = {longdesc};
	ds_group g = {.ids = ids, .nids = 1, .descriptions = desc, .sql = "x"};
	char *m = ds_commitmsg_message(&g);
	assert_int_equal(strcspn(m, "\n"), 72);
	free(m);
}

static void author_is_cleaned(void **state)
{
	(void)state;
	ds_group g = {.created_by = "eve <root>"};
	char *a = ds_commitmsg_author(&g);
	assert_null(strchr(a, '<'));
	assert_null(strchr(a, '>'));
	free(a);
	g.created_by = NULL;
	a = ds_commitmsg_author(&g);
	assert_string_equal(a, "unknown");
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_statement_several_rows),
		cmocka_unit_test(subject_falls_back_to_sql_first_line),
		cmocka_unit_test(long_subject_is_cut),
		cmocka_unit_test(author_is_cleaned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
