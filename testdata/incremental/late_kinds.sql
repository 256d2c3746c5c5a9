-- testdata/incremental/late_kinds.sql: comments, privileges and owners of kinds that appear
-- only after many changes to tables (tests/integration/incremental.sh converts it with
-- --batch-size 1 under --paranoid). A scoped capture reads them with a query that has only
-- the branches its scope's kinds need (src/capture/attach.c), learned and sent ahead per
-- set of kinds: a kind seen late, or a scope mixing kinds, must still get every one.
-- Each statement is its own change.
DO $$ BEGIN CREATE ROLE ddlsnap_late_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
CREATE TABLE app.t (id integer PRIMARY KEY, name text);
COMMENT ON TABLE app.t IS 'a table';
COMMENT ON COLUMN app.t.name IS 'its name';
ALTER TABLE app.t ADD COLUMN note text;
CREATE INDEX t_note ON app.t (note);
COMMENT ON INDEX app.t_note IS 'notes';
ALTER TABLE app.t ADD CONSTRAINT t_name_check CHECK (name <> '');
COMMENT ON CONSTRAINT t_name_check ON app.t IS 'never empty';
ALTER TABLE app.t ADD COLUMN extra integer;
ALTER TABLE app.t DROP COLUMN extra;
CREATE VIEW app.v AS SELECT id, name FROM app.t;
COMMENT ON VIEW app.v IS 'a view';
ALTER TABLE app.t ADD COLUMN more integer;
-- now the other kinds, each with what attach.sql reads for it
CREATE FUNCTION app.f(integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN $1 + 1;
COMMENT ON FUNCTION app.f(integer) IS 'adds one';
REVOKE ALL ON FUNCTION app.f(integer) FROM PUBLIC;
CREATE AGGREGATE app.total(integer) (SFUNC = int4pl, STYPE = integer);
COMMENT ON AGGREGATE app.total(integer) IS 'a sum';
CREATE TYPE app.pair AS (a integer, b text);
COMMENT ON TYPE app.pair IS 'a pair';
COMMENT ON COLUMN app.pair.b IS 'the second';
CREATE DOMAIN app.pos AS integer CONSTRAINT pos_check CHECK (VALUE > 0);
COMMENT ON CONSTRAINT pos_check ON DOMAIN app.pos IS 'strictly';
CREATE TYPE app.mood AS ENUM ('ok', 'sad');
COMMENT ON TYPE app.mood IS 'moods';
CREATE COLLATION app.c_coll (provider = libc, locale = 'C');
COMMENT ON COLLATION app.c_coll IS 'bytes';
CREATE OPERATOR app.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);
COMMENT ON OPERATOR app.=== (integer, integer) IS 'same';
CREATE OPERATOR FAMILY app.fam USING btree;
COMMENT ON OPERATOR FAMILY app.fam USING btree IS 'a family';
CREATE OPERATOR CLASS app.cls FOR TYPE integer USING btree FAMILY app.fam AS OPERATOR 1 <, FUNCTION 1 btint4cmp(integer, integer);
COMMENT ON OPERATOR CLASS app.cls USING btree IS 'a class';
CREATE TEXT SEARCH DICTIONARY app.dict (TEMPLATE = simple);
COMMENT ON TEXT SEARCH DICTIONARY app.dict IS 'simple';
CREATE TEXT SEARCH CONFIGURATION app.cfg (COPY = pg_catalog.simple);
COMMENT ON TEXT SEARCH CONFIGURATION app.cfg IS 'a copy';
CREATE STATISTICS app.st ON id, name FROM app.t;
COMMENT ON STATISTICS app.st IS 'stats';
CREATE EXTENSION citext SCHEMA app;
COMMENT ON EXTENSION citext IS 'case-insensitive';
GRANT EXECUTE ON FUNCTION app.citext(boolean) TO ddlsnap_late_user;
CREATE FOREIGN DATA WRAPPER late_fdw;
COMMENT ON FOREIGN DATA WRAPPER late_fdw IS 'no handler';
CREATE SERVER late_srv FOREIGN DATA WRAPPER late_fdw;
COMMENT ON SERVER late_srv IS 'nowhere';
CREATE PUBLICATION late_pub FOR TABLE app.t;
COMMENT ON PUBLICATION late_pub IS 'the table';
CREATE CAST (app.pair AS text) WITH INOUT;
COMMENT ON CAST (app.pair AS text) IS 'as text';
-- scopes that mix kinds: a table and the type it uses, a function and the view on it
CREATE TABLE app.u (id integer, p app.pair, m app.mood);
COMMENT ON COLUMN app.u.p IS 'a pair';
ALTER TYPE app.pair RENAME ATTRIBUTE b TO c;
ALTER TYPE app.mood RENAME VALUE 'sad' TO 'glad';
CREATE VIEW app.fv AS SELECT app.f(id) AS g FROM app.t;
ALTER FUNCTION app.f(integer) RENAME TO f2;
ALTER SCHEMA app RENAME TO app2;
COMMENT ON SCHEMA app2 IS 'renamed';
-- tables again, after the other kinds' queries were learned
ALTER TABLE app2.t ADD COLUMN last text;
COMMENT ON COLUMN app2.t.last IS 'the last';
GRANT SELECT (last) ON app2.t TO ddlsnap_late_user;
