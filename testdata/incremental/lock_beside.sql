-- testdata/incremental/lock_beside.sql: a change that waits for a lock a capture holds (the
-- capture of a span runs beside the next changes, docs/incremental.md) and gives up, by its
-- own lock_timeout, must not be recorded as failed: without the capture it would not have
-- waited. It runs again once the capture is done (tests/integration/incremental.sh).
-- Capturing the view v locks the table t it reads, until the whole capture ends; the
-- materialized views m1..m1000 come after views in a capture and keep it going while the next
-- change, after a short sleep, asks for t. The change before them brings a view and a
-- materialized view, so that the capture of the next ones sends its queries in one pipeline,
-- one transaction (a first capture of a kind runs its queries one by one). Each string
-- between $mig$ quotes is one change.
CREATE TABLE t (a integer);
SELECT $mig$CREATE VIEW v0 AS SELECT 1 AS x;
CREATE MATERIALIZED VIEW m0 AS SELECT 1 AS x;
$mig$ \gexec
SELECT $mig$CREATE VIEW v AS SELECT a FROM t;
DO $do$ BEGIN FOR i IN 1..1000 LOOP EXECUTE format('CREATE MATERIALIZED VIEW m%s AS SELECT %s AS x', i, i); END LOOP; END $do$;
$mig$ \gexec
SELECT $mig$DO $do$ BEGIN PERFORM pg_sleep(0.05); END $do$;
SET lock_timeout = '5ms';
ALTER TABLE t ADD COLUMN b integer;
$mig$ \gexec
CREATE VIEW w AS SELECT a, b FROM t;
