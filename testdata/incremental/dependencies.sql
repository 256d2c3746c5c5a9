-- testdata/incremental/dependencies.sql: changes whose effect reaches beyond the object they
-- name, for incremental capture (tests/integration/incremental.sh converts it with
-- --batch-size 1 under --paranoid: every change is checked against a full capture).
-- Each statement is its own change.
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('ok', 'sad');
CREATE DOMAIN app.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TABLE app.parent (id integer PRIMARY KEY, name text, mood app.mood, n app.positive);
CREATE TABLE app.child (id serial PRIMARY KEY, parent_id integer REFERENCES app.parent (id), note text);
CREATE SEQUENCE app.loose_seq;
ALTER SEQUENCE app.loose_seq OWNED BY app.child.note;
CREATE VIEW app.v1 AS SELECT id, name, mood FROM app.parent;
CREATE VIEW app.v2 AS SELECT id, name FROM app.v1 WHERE mood = 'ok';
CREATE MATERIALIZED VIEW app.mv AS SELECT id FROM app.v2;
CREATE INDEX mv_id ON app.mv (id);
CREATE FUNCTION app.parent_name(p app.parent) RETURNS text LANGUAGE sql RETURN p.name;
CREATE FUNCTION app.mood_of(m app.mood) RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT m::text; END;
CREATE INDEX child_note ON app.child (note);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER child_touch BEFORE UPDATE ON app.child FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.child ENABLE ROW LEVEL SECURITY;
CREATE POLICY child_all ON app.child USING (parent_id > 0);
CREATE RULE parent_no_delete AS ON DELETE TO app.parent DO INSTEAD NOTHING;
COMMENT ON COLUMN app.parent.name IS 'the name';
COMMENT ON CONSTRAINT positive_check ON DOMAIN app.positive IS 'strictly';
CREATE TABLE app.events (id integer, at date) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_at ON app.events (at);
-- renames that change the text of dependents
ALTER TABLE app.parent RENAME COLUMN name TO title;
ALTER TABLE app.parent RENAME TO mother;
ALTER VIEW app.v1 RENAME TO v_first;
ALTER TYPE app.mood RENAME TO feeling;
ALTER TYPE app.feeling ADD VALUE 'glad';
ALTER TYPE app.feeling RENAME VALUE 'sad' TO 'blue';
ALTER DOMAIN app.positive RENAME CONSTRAINT positive_check TO is_positive;
ALTER FUNCTION app.touch() RENAME TO touch_row;
ALTER SCHEMA app RENAME TO shop;
-- drops of parts: the catalogs no longer say whose they were
DROP INDEX shop.child_note;
DROP TRIGGER child_touch ON shop.child;
DROP POLICY child_all ON shop.child;
DROP RULE parent_no_delete ON shop.mother;
ALTER TABLE shop.child DROP CONSTRAINT child_parent_id_fkey;
ALTER DOMAIN shop.positive DROP CONSTRAINT is_positive;
ALTER SEQUENCE shop.loose_seq OWNED BY NONE;
ALTER TABLE shop.child ALTER COLUMN id DROP DEFAULT;
COMMENT ON COLUMN shop.mother.title IS NULL;
ALTER TABLE shop.events DETACH PARTITION shop.events_2024;
DROP INDEX shop.mv_id;
-- drops of whole objects, with cascades
DROP VIEW shop.v_first CASCADE;
DROP FUNCTION shop.parent_name(shop.mother);
ALTER TABLE shop.mother DROP COLUMN mood;
DROP TYPE shop.feeling CASCADE;
-- foreign keys: their internal triggers sit on the referenced table, whose
-- text holds none of them; a constraint trigger is not internal
CREATE TABLE shop.owner (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE shop.pet (id integer, owner_id integer, owner_code text);
ALTER TABLE shop.pet ADD CONSTRAINT pet_owner FOREIGN KEY (owner_id) REFERENCES shop.owner (id);
ALTER TABLE shop.pet ADD FOREIGN KEY (owner_code) REFERENCES shop.owner (code) ON UPDATE CASCADE;
ALTER TABLE shop.owner RENAME COLUMN code TO tag;
ALTER TABLE shop.owner RENAME TO keeper;
CREATE FUNCTION shop.check_pet() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE CONSTRAINT TRIGGER pet_check AFTER INSERT ON shop.keeper DEFERRABLE FOR EACH ROW EXECUTE FUNCTION shop.check_pet();
ALTER TABLE shop.pet DROP CONSTRAINT pet_owner;
DROP TABLE shop.keeper CASCADE;
-- what event triggers cannot name: the change is captured whole
GRANT SELECT ON shop.child TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT SELECT ON TABLES TO PUBLIC;
CREATE TABLE shop.later (id integer);
REVOKE SELECT ON shop.child FROM PUBLIC;
DROP SCHEMA shop CASCADE;
CREATE TABLE public.after_all (id integer);
