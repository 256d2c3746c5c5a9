-- testdata/incremental/schemas.sql: changes that add, rename and drop the schemas ddlsnap
-- tracks, each followed by changes to objects in them that name no schema
-- (tests/integration/incremental.sh converts it with --batch-size 1 under --paranoid).
-- A scoped capture reads which schemas are tracked only when its scope holds a schema or
-- an extension (src/capture/query.c); a change captured whole (a GRANT) may add one too,
-- and the next scoped capture must see it. Each statement is its own change.
CREATE SCHEMA s1;
CREATE TABLE s1.t (id integer PRIMARY KEY);
ALTER TABLE s1.t ADD COLUMN name text;
-- a schema created by a change that is captured whole (the GRANT names no single object)
DO $$ BEGIN EXECUTE 'CREATE SCHEMA s2'; EXECUTE 'GRANT USAGE ON SCHEMA s2 TO PUBLIC'; END $$;
CREATE TABLE s2.t (id integer PRIMARY KEY);
CREATE VIEW s2.v AS SELECT id FROM s2.t;
ALTER TABLE s2.t ADD COLUMN note text;
ALTER SCHEMA s1 RENAME TO s3;
ALTER TABLE s3.t ADD COLUMN more integer;
CREATE INDEX t_name ON s3.t (name);
DO $$ BEGIN EXECUTE 'DROP SCHEMA s3 CASCADE'; EXECUTE 'GRANT USAGE ON SCHEMA s2 TO PUBLIC'; END $$;
CREATE TABLE s2.u (id integer);
CREATE SCHEMA s4 CREATE TABLE w (id integer) CREATE VIEW wv AS SELECT id FROM w;
ALTER TABLE s4.w ADD COLUMN x integer;
DROP SCHEMA s4 CASCADE;
ALTER TABLE s2.u ADD COLUMN y integer;
