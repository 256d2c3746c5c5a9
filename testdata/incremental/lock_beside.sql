-- testdata/incremental/lock_beside.sql: a change that waits for a lock a capture holds (the
-- capture of a span runs beside the next changes, docs/incremental.md) and gives up, by its
-- own lock_timeout, must not be recorded as failed: without the capture it would not have
-- waited. It runs again once the capture is done (tests/integration/incremental.sh).
--
-- The span of f and of the views v1..v200 on t and the materialized view m on z takes off;
-- its capture reads the views (locking t until it ends), then waits for m's table z, which
-- the next change altered first. That change then sleeps, and asks for t with a lock_timeout
-- of 5 ms while the capture still holds it (the capture gives up on z after 100 ms). The
-- change before brings a view and a materialized view, so that this capture sends its
-- queries in one pipeline, one transaction (a first capture of a kind runs them one by one);
-- z and f make each span two changes long, as a span needs under --paranoid to take off.
-- Each string between $mig$ quotes is one change.
CREATE TABLE t (a integer);
CREATE TABLE z (a integer);
SELECT $mig$CREATE VIEW v0 AS SELECT 1 AS x;
CREATE MATERIALIZED VIEW m0 AS SELECT 1 AS x;
$mig$ \gexec
CREATE TABLE f (a integer);
SELECT $mig$DO $do$ BEGIN FOR i IN 1..200 LOOP EXECUTE format('CREATE VIEW v%s AS SELECT a FROM t', i); END LOOP; END $do$;
CREATE MATERIALIZED VIEW m AS SELECT a FROM z;
$mig$ \gexec
SELECT $mig$ALTER TABLE z ADD COLUMN b integer;
DO $do$ BEGIN PERFORM pg_sleep(0.06); END $do$;
SET lock_timeout = '5ms';
ALTER TABLE t ADD COLUMN b integer;
$mig$ \gexec
CREATE VIEW w AS SELECT a, b FROM t;
