-- testdata/kinds/ordering.sql with its objects created in another order
-- (reverse where dependencies allow, foreign keys added afterwards, a
-- column default added by ALTER): capture must not depend on creation
-- order or OIDs, so tests/integration/roundtrip.sh requires the same
-- snapshot tree from both.
DROP SCHEMA public;
CREATE SCHEMA zeta;
CREATE SCHEMA app;
COMMENT ON SCHEMA zeta IS 'helpers, created after what uses them in path order';

CREATE FUNCTION zeta.positive(n numeric) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT n > 0 $$;
CREATE FUNCTION zeta.next_code() RETURNS text
    LANGUAGE sql VOLATILE
    AS $$ SELECT 'C' || lpad((floor(random() * 1000))::int::text, 3, '0') $$;

CREATE TABLE app.c_tickets (
    id bigserial PRIMARY KEY,
    child_id integer
);
CREATE TABLE app.d_events (
    ticket bigint NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE app.d_events ALTER COLUMN ticket SET DEFAULT nextval('app.c_tickets_id_seq');

CREATE TABLE app.a_child (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL,
    code text DEFAULT zeta.next_code() CHECK (code <> ''),
    amount numeric NOT NULL CHECK (zeta.positive(amount))
);
CREATE INDEX a_child_parent_idx ON app.a_child (parent_id) WHERE amount > 10;
CREATE TABLE app.b_parent (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT zeta.next_code(),
    favourite_child integer
        CONSTRAINT b_parent_favourite_child_fkey REFERENCES app.a_child (id)
        DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE app.a_child
    ADD FOREIGN KEY (parent_id) REFERENCES app.b_parent (id) ON DELETE CASCADE;
ALTER TABLE app.c_tickets ADD FOREIGN KEY (child_id) REFERENCES app.a_child (id);

CREATE VIEW app.parent_summary AS
    SELECT p.id, p.label, count(c.id) AS children
    FROM app.b_parent AS p
    LEFT JOIN app.a_child AS c ON c.parent_id = p.id
    GROUP BY p.id;
CREATE FUNCTION app.aa_children(p integer) RETURNS SETOF app.a_child
    LANGUAGE sql STABLE
    AS $$ SELECT * FROM app.a_child WHERE parent_id = p $$;

CREATE VIEW zeta.v1_base AS SELECT id, parent_id, amount FROM app.a_child;
CREATE VIEW app.v2_mid AS SELECT id, parent_id, amount * 2 AS doubled FROM zeta.v1_base;
CREATE VIEW app.a_top AS SELECT parent_id, sum(doubled) AS total FROM app.v2_mid GROUP BY parent_id;
COMMENT ON VIEW app.a_top IS 'doubled amounts per parent';
CREATE FUNCTION app.aa_total(p integer) RETURNS numeric
    LANGUAGE sql STABLE
    BEGIN ATOMIC
        SELECT total FROM app.a_top WHERE parent_id = p;
    END;
