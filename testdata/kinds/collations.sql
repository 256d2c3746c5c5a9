-- Collations (src/capture/collation.c): every case the capture must carry,
-- and columns, domains and types that use them. Run into an empty
-- database. ICU collations are made only when the server has ICU (an ICU
-- collation is then in pg_collation); C.UTF-8 is always there on Debian.
CREATE SCHEMA app;
CREATE SCHEMA "Odd Schema";

-- libc: one locale, or lc_collate and lc_ctype apart; a copy (FROM); a name
-- that needs quoting; a comment.
CREATE COLLATION app.posix (locale = 'POSIX');
CREATE COLLATION app.c_utf8 (provider = libc, locale = 'C.UTF-8');
CREATE COLLATION app.mixed (lc_collate = 'C', lc_ctype = 'C.UTF-8');
CREATE COLLATION app.c_copy FROM "C";
CREATE COLLATION "Odd Schema"."Byte Order" FROM app.posix;
COMMENT ON COLLATION app.mixed IS 'C order, UTF-8 classes';

CREATE TABLE app.words (
    id integer PRIMARY KEY,
    w text COLLATE app.mixed,
    b varchar(20) COLLATE "Odd Schema"."Byte Order"
);
CREATE INDEX words_w_posix ON app.words (w COLLATE app.posix);
CREATE DOMAIN app.c_text AS text COLLATE app.c_copy;
CREATE TYPE app.tagged AS (tag text COLLATE app.c_utf8, n integer);

-- ICU: a locale with keywords, a nondeterministic collation, a copy of one.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_collation WHERE collprovider = 'i') THEN
        CREATE COLLATION app."German Phonebook" (provider = icu, locale = 'de-u-co-phonebk');
        CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE COLLATION app.ci_copy FROM app.ci;
        COMMENT ON COLLATION app.ci IS 'case-insensitive';
        CREATE TABLE app.people (
            name text COLLATE app.ci PRIMARY KEY,
            sort_name text COLLATE app."German Phonebook"
        );
        CREATE DOMAIN app.ci_text AS text COLLATE app.ci_copy;
    END IF;
END
$$;
