-- Types a checkout must create before what uses them, from schemas that
-- come later in path order: an enum of schema zz used by a domain with a
-- CHECK that calls a function, the domain used by a table column of schema
-- public with a default cast to it, a composite type used as a column type
-- and as a function's argument, a range type over a type of another schema.
-- Built, snapshotted, checked out and compared with pg_dump by
-- tests/integration/roundtrip.sh.
CREATE SCHEMA zz;
CREATE TYPE zz.mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION zz.not_sad(m zz.mood) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT m <> 'sad' $$;
CREATE DOMAIN zz.good_mood AS zz.mood CHECK (zz.not_sad(VALUE));
CREATE TYPE zz.point3 AS (x double precision, y double precision, z double precision);
CREATE TYPE zz.floatrange AS RANGE (subtype = double precision);

CREATE TABLE public.people (
    id integer PRIMARY KEY,
    mood zz.good_mood NOT NULL DEFAULT 'ok'::zz.good_mood,
    home zz.point3,
    span zz.floatrange
);
CREATE FUNCTION public.norm(p zz.point3) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT sqrt(p.x * p.x + p.y * p.y + p.z * p.z) $$;
CREATE VIEW public.happy_people AS
    SELECT id, public.norm(home) AS distance FROM public.people WHERE mood::zz.mood = 'happy';
