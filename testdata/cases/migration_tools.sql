-- testdata/cases/migration_tools.sql: migration files sent the way migration tools send them.
--
-- dbmate, golang-migrate, goose (with its StatementBegin/End blocks) and hand-run `psql -c` send
-- a migration file, or its "up" part, as ONE query string: its own BEGIN/COMMIT, DML between the
-- DDL, annotations in comments. pgGit v1 gives every row the string records the whole string as
-- sql_executed. Here each file is one string, comments and all: its text sits between $mig$
-- quotes and psql's \gexec sends it as one query, verbatim (the SELECT that returns it is not DDL
-- and records nothing). Load it into a database made with `v1_createdb --complete`, so every DDL
-- command is recorded. The files are the history of a small shop in schema app:
--
--   1. dbmate file with BEGIN/COMMIT: schema, enum, table, seed INSERTs, a SELECT, ANALYZE
--   2. goose file: a trigger function, a trigger, SET search_path (an unqualified table lands in
--      app), a DO block doing DDL, a function that does DDL and a SELECT of it, UPDATE
--   3. after a RESET the source session does not see (outside the strings), an unqualified
--      CREATE TABLE lands in public: the SET of file 2 must not leak into the next change
--   4. transaction:false file: CREATE INDEX CONCURRENTLY (cannot run in a transaction block)
--   5. enum value added then used in the same file (a partial index, a default): the file
--      commits between them, as PostgreSQL requires (SQLSTATE 55P04 otherwise)
--   6. a procedure that creates monthly tables and COMMITs after each
--   7. transaction:false file: CALL of that procedure (its COMMIT needs the top level)
--   8. pg_dump-like file: SET, SELECT pg_catalog.set_config('search_path', 'app', false),
--      check_function_bodies off for a function whose body names a table created later
--   9. a file with SAVEPOINT / ROLLBACK TO: what it rolled back must not exist
--  10. transaction:false file: DROP INDEX CONCURRENTLY
--  11. a DO block that COMMITs between two DDL statements (sent alone)
--
-- Expected: convert with no failed change; pg_dump --schema-only of the shadow equals the
-- source's (tests/integration/migration_tools.sh).

-- 1. 20240601080000_create_orders.sql (dbmate)
SET pggit_fixture.clock = '2024-06-01 08:00:00';
SET pggit_fixture."user" = 'dbmate';
SELECT $mig$-- migrate:up
BEGIN;
CREATE SCHEMA app;
CREATE TYPE app.order_status AS ENUM ('new', 'paid');
CREATE TABLE app.orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status app.order_status NOT NULL DEFAULT 'new',
    total_cents bigint NOT NULL CHECK (total_cents >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO app.orders (status, total_cents) VALUES ('new', 100), ('paid', 250);
SELECT count(*) FROM app.orders WHERE status = 'paid';
ANALYZE app.orders;
COMMIT;
$mig$ \gexec

-- 2. 00002_audit.sql (goose)
SET pggit_fixture.clock = '2024-06-02 08:00:00';
SET pggit_fixture."user" = 'goose';
SELECT $mig$-- +goose Up
-- +goose StatementBegin
BEGIN;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
-- +goose StatementEnd
SET search_path = app;
CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    updated_at timestamptz
);
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION touch();
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relname = 'addresses') THEN
        EXECUTE 'CREATE TABLE app.addresses (customer_id integer REFERENCES app.customers, line text)';
    END IF;
END
$$;
CREATE FUNCTION app.ensure_table(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS app.%I (id integer PRIMARY KEY, note text)', name);
END
$$;
SELECT app.ensure_table('gift_cards');
INSERT INTO customers VALUES (1, 'ada', NULL);
UPDATE customers SET name = 'Ada' WHERE id = 1;
COMMIT;
-- +goose Down
-- (goose never sends the Down part on the way up)
$mig$ \gexec

-- 3. 003_notes.up.sql (golang-migrate); the migration tool's next session starts clean
RESET search_path;
SET pggit_fixture.clock = '2024-06-03 08:00:00';
SET pggit_fixture."user" = 'migrate';
SELECT $mig$CREATE TABLE notes (id integer PRIMARY KEY, body text);
CREATE INDEX notes_body_idx ON notes (body);
$mig$ \gexec

-- 4. 20240604080000_orders_index.sql (dbmate, no transaction)
SET pggit_fixture.clock = '2024-06-04 08:00:00';
SET pggit_fixture."user" = 'dbmate';
SELECT $mig$-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY orders_created_at_idx ON app.orders (created_at);
$mig$ \gexec

-- 5. 20240605080000_shipped.sql: the value is added, committed, then used
SET pggit_fixture.clock = '2024-06-05 08:00:00';
SELECT $mig$-- migrate:up transaction:false
BEGIN;
ALTER TYPE app.order_status ADD VALUE 'shipped' AFTER 'paid';
COMMIT;
BEGIN;
CREATE INDEX orders_shipped_idx ON app.orders (created_at) WHERE status = 'shipped';
ALTER TABLE app.orders ADD COLUMN shipped_status app.order_status DEFAULT 'shipped';
UPDATE app.orders SET status = 'shipped' WHERE status = 'paid';
COMMIT;
$mig$ \gexec

-- 6. 006_partitions.up.sql: a procedure that commits as it goes
SET pggit_fixture.clock = '2024-06-06 08:00:00';
SET pggit_fixture."user" = 'migrate';
SELECT $mig$BEGIN;
CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE PROCEDURE app.make_partitions(first date, months integer)
LANGUAGE plpgsql AS $$
DECLARE
    m date;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        m := first + make_interval(months => i);
        EXECUTE format('CREATE TABLE app.%I PARTITION OF app.events FOR VALUES FROM (%L) TO (%L)',
                       'events_' || to_char(m, 'YYYY_MM'), m, m + interval '1 month');
        COMMIT;
    END LOOP;
END
$$;
COMMIT;
$mig$ \gexec

-- 7. 007_partitions.up.sql: CALL alone, outside a transaction block, or its COMMIT fails
SET pggit_fixture.clock = '2024-06-07 08:00:00';
SELECT $mig$CALL app.make_partitions('2024-06-01', 3);
$mig$ \gexec

-- 8. a schema dump applied with psql -c: pg_dump's preamble
SET pggit_fixture.clock = '2024-06-08 08:00:00';
SET pggit_fixture."user" = 'ops';
SELECT $mig$SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', 'app', false);
SET check_function_bodies = false;
CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM app.order_archive $$;
CREATE TABLE order_archive (LIKE orders);
SELECT pg_catalog.setval('app.orders_id_seq', 42, true);
$mig$ \gexec
RESET search_path;
RESET check_function_bodies;

-- 9. a file that undoes part of itself
SET pggit_fixture.clock = '2024-06-09 08:00:00';
SELECT $mig$BEGIN;
CREATE TABLE app.coupons (code text PRIMARY KEY);
SAVEPOINT before_experiment;
CREATE TABLE app.experiment (id integer);
ALTER TABLE app.coupons ADD COLUMN experimental boolean;
ROLLBACK TO SAVEPOINT before_experiment;
ALTER TABLE app.coupons ADD COLUMN percent integer NOT NULL DEFAULT 10;
RELEASE SAVEPOINT before_experiment;
COMMIT;
$mig$ \gexec

-- 10. 20240610080000_drop_index.sql (dbmate, no transaction)
SET pggit_fixture.clock = '2024-06-10 08:00:00';
SET pggit_fixture."user" = 'dbmate';
SELECT $mig$-- migrate:up transaction:false
DROP INDEX CONCURRENTLY app.orders_created_at_idx;
$mig$ \gexec

-- 11. a DO block that commits between its statements
SET pggit_fixture.clock = '2024-06-11 08:00:00';
SET pggit_fixture."user" = 'ops';
SELECT $mig$DO $$
BEGIN
    CREATE TABLE app.refunds (order_id bigint REFERENCES app.orders, cents bigint);
    COMMIT;
    CREATE INDEX refunds_order_id_idx ON app.refunds (order_id);
END
$$;
$mig$ \gexec

RESET pggit_fixture.clock;
RESET pggit_fixture."user";
