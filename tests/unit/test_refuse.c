/* test_refuse.c - the refusal list, judged on libpg_query's parse tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ddlsnap/refuse.h"
#include "ddlsnap/stmt.h"

/* The reason the one statement of text is refused, "" when it may run. */
static char reason[512];
static const char *refused(const char *text)
{
	ds_stmt_list l;
	assert_int_equal(ds_stmt_split(&l, text), 0);
	assert_int_equal(l.n, 1);
	snprintf(reason, sizeof reason, "%s", l.items[0].refused ? l.items[0].refused : "");
	if (l.items[0].refused)
		assert_int_equal(l.items[0].cls, DS_STMT_REFUSED);
	else
		assert_int_not_equal(l.items[0].cls, DS_STMT_REFUSED);
	ds_stmt_list_free(&l);
	return reason;
}

static void refuses_what_reaches_beyond_the_shadow(void **state)
{
	(void)state;
	static const char *const hostile[] = {
		"CREATE ROLE evil SUPERUSER LOGIN",
		"CREATE USER evil",
		"CREATE GROUP evil",
		"ALTER ROLE postgres PASSWORD 'x'",
		"ALTER USER CURRENT_USER SET search_path = evil",
		"DROP ROLE postgres",
		"GRANT pg_read_server_files TO CURRENT_USER",
		"REASSIGN OWNED BY CURRENT_USER TO postgres",
		"DROP OWNED BY postgres",
		"CREATE DATABASE evil",
		"ALTER DATABASE postgres OWNER TO evil",
		"ALTER DATABASE postgres SET work_mem = '1GB'",
		"DROP DATABASE postgres",
		"ALTER DATABASE postgres RENAME TO x",
		"COMMENT ON DATABASE postgres IS 'x'",
		"GRANT CREATE ON DATABASE postgres TO PUBLIC",
		"CREATE TABLESPACE t LOCATION '/tmp'",
		"ALTER SYSTEM SET shared_preload_libraries = 'evil'",
		"COPY t TO PROGRAM 'touch /tmp/pwned'",
		"COPY t FROM PROGRAM 'id'",
		"COPY t FROM '/etc/passwd'",
		"COPY (SELECT 1) TO '/tmp/out'",
		"LOAD '/tmp/evil.so'",
		"SELECT lo_import('/etc/passwd')",
		"SELECT lo_export(1, '/tmp/x')",
		"SELECT pg_read_file('/etc/passwd')",
		"SELECT pg_catalog.pg_read_binary_file('/etc/passwd')",
		"SELECT * FROM pg_ls_dir('.')",
		"SELECT pg_stat_file('postgresql.conf')",
		"SELECT pg_file_write('x', 'y', false)",
		"SELECT dblink_connect('host=evil')",
		"SELECT * FROM dblink('host=evil', 'select 1') AS t(x int)",
		"SELECT dblink_exec('host=evil', 'drop table x')",
		"CREATE USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (user 'u', password 'p')",
		"CREATE EXTENSION dblink",
		"CREATE EXTENSION IF NOT EXISTS postgres_fdw",
		"CREATE EXTENSION file_fdw",
		"CREATE EXTENSION adminpack",
		"CREATE EXTENSION plpython3u",
		"CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION f()",
		"DROP EVENT TRIGGER _ddlsnap_capture",
		"ALTER EVENT TRIGGER x DISABLE",
		"SET ROLE postgres",
		"SET LOCAL ROLE postgres",
		"SET SESSION AUTHORIZATION postgres",
		"SET session_replication_role = replica",
		"CREATE LANGUAGE plperlu",
		"CREATE FUNCTION f() RETURNS int LANGUAGE c AS '/tmp/evil.so', 'f'",
		"CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS 'return 1'",
		"DO LANGUAGE plperlu $$ system('id') $$",
		"SELECT pg_terminate_backend(1)",
		"SELECT pg_cancel_backend(1)",
		"SELECT pg_reload_conf()",
		"SELECT pg_rotate_logfile()",
		"SELECT set_config('session_replication_role', 'replica', false)",
		"SELECT set_config(current_setting('x'), 'y', false)",
		"CREATE SUBSCRIPTION s CONNECTION 'host=evil' PUBLICATION p",
		"IMPORT FOREIGN SCHEMA public FROM SERVER s INTO public",
		"CREATE FOREIGN DATA WRAPPER w HANDLER postgres_fdw_handler",
		/* nested: a default, a view's query, a CTE, a DO argument list */
		"CREATE TABLE t (x text DEFAULT pg_read_file('/etc/passwd'))",
		"CREATE VIEW v AS SELECT 1 FROM (SELECT pg_ls_dir('/')) AS s",
		"WITH x AS (SELECT lo_export(1, '/tmp/x')) SELECT * FROM x",
		"CREATE TABLE t AS SELECT dblink_exec('x', 'y')",
		"CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT pg_read_file('/x'); END",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		const char *why = refused(hostile[i]);
		if (!*why)
			fail_msg("not refused: %s", hostile[i]);
	}
}

static void lets_schema_work_run(void **state)
{
	(void)state;
	static const char *const fine[] = {
		"CREATE TABLE t (id int PRIMARY KEY, at timestamptz DEFAULT now())",
		"CREATE EXTENSION IF NOT EXISTS pgcrypto",
		"CREATE EXTENSION \"uuid-ossp\" WITH SCHEMA public",
		"CREATE EXTENSION citext",
		"CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'x')",
		"CREATE FOREIGN DATA WRAPPER dummy",
		"CREATE USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (user 'u')",
		"COPY t FROM STDIN",
		"SELECT pg_catalog.set_config('search_path', '', false)",
		"SET search_path = app, public",
		"SET check_function_bodies = false",
		"SET ROLE NONE",
		"RESET ROLE",
		"SET SESSION AUTHORIZATION DEFAULT",
		"GRANT SELECT ON t TO PUBLIC",
		"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$",
		"DO $$ BEGIN CREATE TABLE x (); END $$",
		"CREATE SCHEMA app",
		"COMMENT ON TABLE t IS 'pg_read_file'",
	};
	for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
		const char *why = refused(fine[i]);
		if (*why)
			fail_msg("refused (%s): %s", why, fine[i]);
	}
}

static void owner_changes_are_their_own_reason(void **state)
{
	(void)state;
	static const char *const owners[] = {
		"ALTER TABLE t OWNER TO app",	   "ALTER SCHEMA s OWNER TO app",
		"ALTER FUNCTION f() OWNER TO app", "ALTER SEQUENCE s OWNER TO app",
		"ALTER TYPE ty OWNER TO app",
	};
	for (size_t i = 0; i < sizeof owners / sizeof *owners; i++) {
		ds_stmt_list l;
		assert_int_equal(ds_stmt_split(&l, owners[i]), 0);
		assert_ptr_equal(l.items[0].refused, ds_refuse_owner_change);
		ds_stmt_list_free(&l);
	}
	/* an owner change mixed with schema work runs */
	assert_string_equal(refused("ALTER TABLE t OWNER TO app, ADD COLUMN x int"), "");
	/* the database's owner is refused as a database statement */
	assert_non_null(strstr(refused("ALTER DATABASE d OWNER TO app"), "database"));
}

static void allow_lists_extend(void **state)
{
	(void)state;
	assert_non_null(strstr(refused("CREATE EXTENSION postgis"), "postgis"));
	ds_refuse_allow_extension("postgis");
	assert_string_equal(refused("CREATE EXTENSION postgis"), "");
	assert_non_null(strstr(refused("CREATE EVENT TRIGGER audit ON ddl_command_end "
				       "EXECUTE FUNCTION f()"),
			       "audit"));
	ds_refuse_allow_event_trigger("audit");
	assert_string_equal(refused("CREATE EVENT TRIGGER audit ON ddl_command_end "
				    "EXECUTE FUNCTION f()"),
			    "");
	assert_string_equal(refused("DROP EVENT TRIGGER audit"), "");
	assert_string_not_equal(refused("DROP EVENT TRIGGER audit, other"), "");
}

static void reasons_name_the_function(void **state)
{
	(void)state;
	assert_non_null(
		strstr(refused("SELECT 1 WHERE pg_stat_file('x') IS NULL"), "pg_stat_file"));
	/* the same reason twice is one string */
	ds_stmt_list a, b;
	assert_int_equal(ds_stmt_split(&a, "SELECT pg_ls_dir('a')"), 0);
	assert_int_equal(ds_stmt_split(&b, "SELECT pg_ls_dir('b')"), 0);
	assert_ptr_equal(a.items[0].refused, b.items[0].refused);
	ds_stmt_list_free(&a);
	ds_stmt_list_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuses_what_reaches_beyond_the_shadow),
		cmocka_unit_test(lets_schema_work_run),
		cmocka_unit_test(owner_changes_are_their_own_reason),
		cmocka_unit_test(allow_lists_extend),
		cmocka_unit_test(reasons_name_the_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
