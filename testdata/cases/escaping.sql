-- testdata/cases/escaping.sql: names that need escaping in a git path.
--
-- Schemas and objects whose names are not safe as path components as they are: containing "/"
-- and "%" (and a name that looks like an already escaped "/": "x%2Fy" next to "x/y"), starting
-- with ".", exactly ".git", ".." and ".", with quotes and spaces, upper and lower case twins,
-- a tab and a backslash, a 63-byte (the most PostgreSQL keeps) UTF-8 identifier of mixed 2- and
-- 3-byte characters, and a function whose signature (40 arguments) is far longer than a file
-- name may be, next to a short overload of the same name. Each must get a valid git path,
-- distinct from every other one, and `git fsck --strict` must stay clean.
-- pgGit v1 does not record CREATE SCHEMA, so each schema is created in one string with a table
-- in it. Every change replays.
-- Expected: 14 changes, 14 commits, no failure.

-- 1. Slashes in the schema and table names.
SET pggit_fixture.clock = '2024-08-01 10:00:00';
SET pggit_fixture."user" = 'alice';
CREATE SCHEMA "a/b" \;
CREATE TABLE "a/b"."x/y" (id integer PRIMARY KEY, "col/1" text);

-- 2. A name that looks like the escaped form of the one above.
SET pggit_fixture.clock = '2024-08-01 10:01:00';
CREATE TABLE "a/b"."x%2Fy" (id integer PRIMARY KEY);

-- 3. Percent signs; an index with one too.
SET pggit_fixture.clock = '2024-08-01 10:02:00';
CREATE SCHEMA "100%" \;
CREATE TABLE "100%"."50%off" (id integer PRIMARY KEY, price numeric) \;
CREATE INDEX "idx%price" ON "100%"."50%off" (price);

-- 4. Leading dot in the schema, a table named exactly .git.
SET pggit_fixture.clock = '2024-08-01 10:03:00';
CREATE SCHEMA ".hidden" \;
CREATE TABLE ".hidden".".git" (id integer);

-- 5. A schema named exactly .git.
SET pggit_fixture.clock = '2024-08-01 10:04:00';
CREATE SCHEMA ".git" \;
CREATE TABLE ".git".config (key text PRIMARY KEY, value text);

-- 6. A schema and a table named "..", tables named "." and "...".
SET pggit_fixture.clock = '2024-08-01 10:05:00';
CREATE SCHEMA ".." \;
CREATE TABLE ".."."..." (id integer) \;
CREATE TABLE ".."."." (id integer) \;
CREATE TABLE public.".." (id integer);

-- 7. Quotes and spaces.
SET pggit_fixture.clock = '2024-08-01 10:06:00';
SET pggit_fixture."user" = 'bob';
CREATE SCHEMA "my schema" \;
CREATE TABLE "my schema"."it's ""quoted""" (id integer PRIMARY KEY, "a ""b"" c" text) \;
CREATE TABLE "my schema"." order items " (id integer);

-- 8. Case twins.
SET pggit_fixture.clock = '2024-08-01 10:07:00';
CREATE TABLE public."MixedCase" (id integer) \;
CREATE TABLE public.mixedcase (id integer);

-- 9. A control byte (tab) and a backslash.
SET pggit_fixture.clock = '2024-08-01 10:08:00';
CREATE TABLE public.U&"tab\0009name" (id integer) \;
CREATE TABLE public."back\slash" (id integer);

-- 10. A 63-byte UTF-8 identifier (27 characters).
SET pggit_fixture.clock = '2024-08-01 10:09:00';
SET pggit_fixture."user" = 'carol';
CREATE TABLE public."Übersichts_顧客注文明細履歴管理台帳集計結果一" (
    id integer PRIMARY KEY,
    "ñandú" text
);

-- 11. A view with a slash, on the table with one.
SET pggit_fixture.clock = '2024-08-01 10:10:00';
CREATE VIEW "a/b"."v/1" AS SELECT id, "col/1" FROM "a/b"."x/y";

-- 12. A function with a very long signature.
SET pggit_fixture.clock = '2024-08-01 10:11:00';
CREATE FUNCTION "a/b"."f/long"(
    p01 timestamp with time zone,
    p02 double precision,
    p03 numeric,
    p04 boolean,
    p05 character varying,
    p06 timestamp with time zone,
    p07 double precision,
    p08 numeric,
    p09 boolean,
    p10 character varying,
    p11 timestamp with time zone,
    p12 double precision,
    p13 numeric,
    p14 boolean,
    p15 character varying,
    p16 timestamp with time zone,
    p17 double precision,
    p18 numeric,
    p19 boolean,
    p20 character varying,
    p21 timestamp with time zone,
    p22 double precision,
    p23 numeric,
    p24 boolean,
    p25 character varying,
    p26 timestamp with time zone,
    p27 double precision,
    p28 numeric,
    p29 boolean,
    p30 character varying,
    p31 timestamp with time zone,
    p32 double precision,
    p33 numeric,
    p34 boolean,
    p35 character varying,
    p36 timestamp with time zone,
    p37 double precision,
    p38 numeric,
    p39 boolean,
    p40 character varying)
    RETURNS integer
    LANGUAGE sql IMMUTABLE
AS $$ SELECT 40 $$;

-- 13. A short overload of the same name.
SET pggit_fixture.clock = '2024-08-01 10:12:00';
CREATE FUNCTION "a/b"."f/long"(integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
AS $$ SELECT $1 $$;

-- 14. An index with a non-ASCII name on the 63-byte table.
SET pggit_fixture.clock = '2024-08-01 10:13:00';
CREATE INDEX "ñandú_idx" ON public."Übersichts_顧客注文明細履歴管理台帳集計結果一" ("ñandú");

RESET pggit_fixture.clock;
RESET pggit_fixture."user";
