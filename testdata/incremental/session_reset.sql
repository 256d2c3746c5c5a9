-- testdata/incremental/session_reset.sql: what a change leaves in the replay session (here a
-- temporary table) must not reach the next change, even when the replay gate sends that next
-- change back (it meets what the span touched) and runs it again: the session reset runs in a
-- transaction of its own, which the rollback of the change cannot undo
-- (tests/integration/incremental.sh). And a change that ends by making its transaction
-- read-only (SET transaction_read_only, transaction control the replayer skips as it skips
-- SET TRANSACTION) still lets the gate take what it touched. And the reset runs while
-- ddlsnap goes on, but a capture waits for it: its DISCARD TEMP drops the default a
-- permanent table took from a temporary sequence (no event trigger sees that), made slow
-- here by temporary tables to drop. Each string between $mig$ quotes is one change.
CREATE SCHEMA app;
SELECT $mig$CREATE TEMPORARY TABLE scratch (id integer);
CREATE TABLE app.accounts (id integer PRIMARY KEY);
$mig$ \gexec
-- the source's next session starts clean (not recorded: not DDL)
DISCARD TEMP;
SELECT $mig$CREATE TEMPORARY TABLE scratch (id integer);
CREATE TABLE app.notes (id integer PRIMARY KEY);
COMMENT ON TABLE app.accounts IS 'named by the change after the one that made it';
$mig$ \gexec
SELECT $mig$CREATE TABLE app.ledger (id integer PRIMARY KEY);
SET transaction_read_only = on;
$mig$ \gexec
SELECT $mig$CREATE TEMPORARY SEQUENCE ticket;
CREATE TABLE app.tickets (id integer DEFAULT nextval('ticket'));
DO $do$ BEGIN FOR i IN 1..1500 LOOP EXECUTE format('CREATE TEMPORARY TABLE pad%s (id integer)', i); END LOOP; END $do$;
$mig$ \gexec
