-- Domains (src/capture/domain.c): every case the capture must carry, and
-- tables and functions that use them. Run into an empty database.
DO $$ BEGIN CREATE ROLE ddlsnap_domain_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA app;
CREATE SCHEMA "Odd Schema";

-- A plain CHECK with the name PostgreSQL chose, a comment on the domain
-- and on its constraint.
CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0);
COMMENT ON DOMAIN app.positive IS 'strictly positive';
COMMENT ON CONSTRAINT positive_check ON DOMAIN app.positive IS 'above zero';

-- A domain over a domain, with its own constraint.
CREATE DOMAIN app.small_positive AS app.positive CONSTRAINT small CHECK (VALUE < 100);

-- Type modifier, collation other than the base type's, DEFAULT, NOT NULL,
-- several named constraints (written in name order, not creation order).
CREATE DOMAIN app.code AS varchar(10) COLLATE "C" DEFAULT 'none' NOT NULL
    CONSTRAINT z_not_empty CHECK (VALUE <> '')
    CONSTRAINT a_lower CHECK (VALUE = lower(VALUE));
REVOKE USAGE ON DOMAIN app.code FROM PUBLIC;
GRANT USAGE ON DOMAIN app.code TO ddlsnap_domain_user;

-- NOT VALID constraints (one validated afterwards), names that need
-- quoting, a collation equal to the base type's (not written).
CREATE DOMAIN "Odd Schema"."E-mail" AS text COLLATE "POSIX" CHECK (VALUE ~ '@');
ALTER DOMAIN "Odd Schema"."E-mail" ADD CONSTRAINT "has dot" CHECK (VALUE LIKE '%.%') NOT VALID;
ALTER DOMAIN "Odd Schema"."E-mail" ADD CONSTRAINT validated_later CHECK (length(VALUE) < 255) NOT VALID;
ALTER DOMAIN "Odd Schema"."E-mail" VALIDATE CONSTRAINT validated_later;
CREATE DOMAIN app.plain_text AS text COLLATE "default";

-- Defaults that are expressions, arrays of and domains over arrays.
CREATE DOMAIN app.stamp AS timestamp(3) with time zone DEFAULT now() NOT NULL;
CREATE DOMAIN app.amounts AS numeric(12,4)[] DEFAULT '{}' CHECK (cardinality(VALUE) < 10);
CREATE DOMAIN app.codes AS app.code[];

-- Domains over an enum and over a composite type, a CHECK calling a user
-- function, ALTER DOMAIN SET DEFAULT / SET NOT NULL / RENAME afterwards.
CREATE TYPE app.level AS ENUM ('low', 'mid', 'high');
CREATE DOMAIN app.raised AS app.level DEFAULT 'mid' CHECK (VALUE > 'low');
CREATE TYPE app.point2 AS (x integer, y integer);
CREATE DOMAIN app.first_quadrant AS app.point2 CHECK ((VALUE).x >= 0 AND (VALUE).y >= 0);
CREATE FUNCTION app.is_even(integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 % 2 = 0';
CREATE DOMAIN app.even AS integer CHECK (app.is_even(VALUE));
ALTER DOMAIN app.even SET DEFAULT 2;
ALTER DOMAIN app.even SET NOT NULL;
ALTER DOMAIN app.even RENAME CONSTRAINT even_check TO must_be_even;
CREATE DOMAIN app.old_name AS bigint;
ALTER DOMAIN app.old_name RENAME TO new_name;
ALTER DOMAIN app.new_name ADD CONSTRAINT dropped CHECK (VALUE <> 0);
ALTER DOMAIN app.new_name DROP CONSTRAINT dropped;

-- Objects that use the domains.
CREATE TABLE app.accounts (
    id app.positive PRIMARY KEY,
    code app.code,
    email "Odd Schema"."E-mail",
    created app.stamp,
    balances app.amounts,
    level app.raised,
    corner app.first_quadrant,
    codes app.codes
);
CREATE FUNCTION app.next_even(x app.even) RETURNS app.even
    LANGUAGE sql IMMUTABLE AS $$SELECT (x + 2)::app.even$$;
CREATE VIEW app.cheap_accounts AS SELECT id, code FROM app.accounts WHERE id < 10::app.small_positive;
