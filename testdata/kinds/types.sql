-- Enum, composite and range types (src/capture/type.c): every case the
-- capture must carry, and tables and functions that use them.
-- Run as a superuser into an empty database (a canonical function of a
-- range type must be C or internal, which only a superuser may create).
DO $$ BEGIN CREATE ROLE ddlsnap_type_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA app;
CREATE SCHEMA "Odd Schema";

-- Enums: the labels' order is their sort order, not the order they were
-- added in; labels that need quoting; an enum without labels.
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';
ALTER TYPE app.mood ADD VALUE 'ecstatic' AFTER 'happy';
ALTER TYPE app.mood ADD VALUE 'blue' BEFORE 'sad';
ALTER TYPE app.mood RENAME VALUE 'ok' TO 'fine';
CREATE TYPE "Odd Schema"."Status" AS ENUM ('it''s', 'back\slash', 'Ünïcode', 'two words', '');
CREATE TYPE app.nothing_yet AS ENUM ();
COMMENT ON TYPE app.mood IS 'how it''s going';
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
GRANT USAGE ON TYPE app.mood TO ddlsnap_type_user;

-- Composite types: collations (only where they differ from the type's),
-- types with modifiers, arrays, other user types, a dropped attribute, a
-- name that needs quoting, comments on attributes, no attributes at all.
CREATE TYPE app."Color" AS (r integer, g integer, b integer);
CREATE TYPE app.person AS (
    name text COLLATE "C",
    nick varchar(20) COLLATE "POSIX",
    plain text COLLATE "default",
    mood app.mood,
    moods app.mood[],
    color app."Color",
    "Weird Name" numeric(10,2),
    tags text[]
);
ALTER TYPE app.person DROP ATTRIBUTE tags;
ALTER TYPE app.person ADD ATTRIBUTE born timestamp(0) with time zone;
COMMENT ON TYPE app.person IS 'a person';
COMMENT ON COLUMN app.person.name IS 'full name';
COMMENT ON COLUMN app.person."Weird Name" IS 'weird';
CREATE TYPE app.empty AS ();
CREATE TYPE "Odd Schema"."Pair" AS ("Left" "Odd Schema"."Status", "right" app.person);
GRANT USAGE ON TYPE "Odd Schema"."Pair" TO ddlsnap_type_user WITH GRANT OPTION;

-- Ranges: subtype_diff (built-in and user-written), a collation and an
-- operator class other than the subtype's, a canonical function (which
-- needs the shell type first), multirange names other than the derived one
-- (given explicitly, or left behind by a rename), names without "range".
CREATE TYPE app.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE FUNCTION app.time_diff(a time, b time) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT AS $$SELECT EXTRACT(EPOCH FROM (a - b))::float8$$;
CREATE TYPE app.timerange AS RANGE (subtype = time, subtype_diff = app.time_diff);
CREATE TYPE app.textrange_c AS RANGE (subtype = text, collation = "C");
CREATE TYPE app.textrange_pattern AS RANGE (subtype = text, subtype_opclass = text_pattern_ops);
CREATE TYPE app.inty AS RANGE (subtype = int4, multirange_type_name = app.many_inty);
CREATE TYPE app.span AS RANGE (subtype = date);
ALTER TYPE app.span RENAME TO period;
CREATE TYPE app.intrange;
CREATE FUNCTION app.intrange_canonical(app.intrange) RETURNS app.intrange
    LANGUAGE internal IMMUTABLE STRICT AS 'int4range_canonical';
CREATE TYPE app.intrange AS RANGE (subtype = int4, canonical = app.intrange_canonical);
CREATE TYPE "Odd Schema"."Range Of Text" AS RANGE (subtype = text);
CREATE TYPE "Odd Schema".rangerange AS RANGE (subtype = numeric);
COMMENT ON TYPE app.intrange IS 'integers, canonical';
REVOKE ALL ON TYPE app.floatrange FROM PUBLIC;

-- Objects that use the types.
CREATE TABLE app.people (
    id integer PRIMARY KEY,
    who app.person,
    mood app.mood DEFAULT 'fine' NOT NULL,
    moods app.mood[] DEFAULT ARRAY['sad', 'happy']::app.mood[],
    during app.floatrange,
    slots app.intrange[],
    busy app.intmultirange,
    color app."Color",
    status "Odd Schema"."Status" DEFAULT 'it''s'
);
CREATE FUNCTION app.cheer(m app.mood) RETURNS app.mood
    LANGUAGE sql IMMUTABLE AS $$SELECT CASE WHEN m < 'fine' THEN 'happy'::app.mood ELSE m END$$;
CREATE FUNCTION app.make_person(n text) RETURNS app.person
    LANGUAGE plpgsql AS $$BEGIN RETURN ROW(n, NULL, NULL, 'fine', NULL, NULL, NULL, NULL)::app.person; END$$;
CREATE VIEW app.happy_people AS SELECT id, (who).name FROM app.people WHERE mood >= 'happy';
