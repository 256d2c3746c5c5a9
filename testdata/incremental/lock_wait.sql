-- testdata/incremental/lock_wait.sql: a span's capture runs in a thread while the next change
-- replays (docs/incremental.md, "Capturing behind the replay"). Here that change holds a lock
-- the capture needs: capturing the view v locks the table it reads, which the next change
-- altered and still holds (it sleeps before its end). The capture must give up rather than
-- wait (the change could wait for it in turn), and be read again once the change is done;
-- the change meets the span being captured (v depends on t), so it is sent back and runs
-- again (tests/integration/incremental.sh). The tables pad1..pad400 make the capture slow to
-- reach the view, so the change takes the lock first; the table other is there so that the
-- span holds two changes and takes off under --paranoid (docs/incremental.md). Each string
-- between $mig$ quotes is one change.
CREATE TABLE t (a integer);
CREATE TABLE other (a integer);
SELECT $mig$CREATE VIEW v AS SELECT a FROM t;
DO $do$ BEGIN FOR i IN 1..400 LOOP EXECUTE format('CREATE TABLE pad%s (id integer PRIMARY KEY, note text DEFAULT %L)', i, i); END LOOP; END $do$;
$mig$ \gexec
SELECT $mig$ALTER TABLE t ADD COLUMN b integer;
DO $do$ BEGIN PERFORM pg_sleep(1); END $do$;
$mig$ \gexec
CREATE VIEW w AS SELECT a, b FROM t;
