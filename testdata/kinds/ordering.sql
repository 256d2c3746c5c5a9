-- Dependencies that run against the order a checkout first tries
-- (phase, then object path), so that its retries are what make it apply:
--   - views on views, across schemas, each named so that path order is the
--     reverse of dependency order (app/view/a_top needs app/view/v2_mid
--     needs zeta/view/v1_base);
--   - functions of a later schema used in column defaults and CHECKs;
--   - a SQL-standard function body (BEGIN ATOMIC) that reads a view, and a
--     function returning a table's row type: both need the relation at
--     creation, even with check_function_bodies off;
--   - two tables whose foreign keys point at each other (one DEFERRABLE);
--   - a view that groups by a primary key and selects another column of the
--     table (valid only while the key exists);
--   - a sequence owned by one table and used by another's default;
--   - no schema public: the checkout must drop the target's.
-- tests/integration/roundtrip.sh builds it, snapshots it, checks it out
-- and compares pg_dump; testdata/roundtrip/ordering_reversed.sql creates
-- the same objects in another order and must give the same tree.
DROP SCHEMA public;
CREATE SCHEMA app;
CREATE SCHEMA zeta;
COMMENT ON SCHEMA zeta IS 'helpers, created after what uses them in path order';

CREATE FUNCTION zeta.next_code() RETURNS text
    LANGUAGE sql VOLATILE
    AS $$ SELECT 'C' || lpad((floor(random() * 1000))::int::text, 3, '0') $$;
CREATE FUNCTION zeta.positive(n numeric) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT n > 0 $$;

CREATE TABLE app.b_parent (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT zeta.next_code(),
    favourite_child integer
);
CREATE TABLE app.a_child (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES app.b_parent (id) ON DELETE CASCADE,
    code text DEFAULT zeta.next_code() CHECK (code <> ''),
    amount numeric NOT NULL CHECK (zeta.positive(amount))
);
ALTER TABLE app.b_parent
    ADD CONSTRAINT b_parent_favourite_child_fkey FOREIGN KEY (favourite_child)
    REFERENCES app.a_child (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX a_child_parent_idx ON app.a_child (parent_id) WHERE amount > 10;

CREATE VIEW zeta.v1_base AS SELECT id, parent_id, amount FROM app.a_child;
CREATE VIEW app.v2_mid AS SELECT id, parent_id, amount * 2 AS doubled FROM zeta.v1_base;
CREATE VIEW app.a_top AS SELECT parent_id, sum(doubled) AS total FROM app.v2_mid GROUP BY parent_id;
COMMENT ON VIEW app.a_top IS 'doubled amounts per parent';

CREATE FUNCTION app.aa_total(p integer) RETURNS numeric
    LANGUAGE sql STABLE
    BEGIN ATOMIC
        SELECT total FROM app.a_top WHERE parent_id = p;
    END;
CREATE FUNCTION app.aa_children(p integer) RETURNS SETOF app.a_child
    LANGUAGE sql STABLE
    AS $$ SELECT * FROM app.a_child WHERE parent_id = p $$;

CREATE VIEW app.parent_summary AS
    SELECT p.id, p.label, count(c.id) AS children
    FROM app.b_parent AS p
    LEFT JOIN app.a_child AS c ON c.parent_id = p.id
    GROUP BY p.id;

CREATE TABLE app.c_tickets (
    id bigserial PRIMARY KEY,
    child_id integer REFERENCES app.a_child (id)
);
CREATE TABLE app.d_events (
    ticket bigint NOT NULL DEFAULT nextval('app.c_tickets_id_seq'),
    at timestamptz NOT NULL DEFAULT now()
);
