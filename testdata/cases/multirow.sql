-- testdata/cases/multirow.sql: one statement, several history rows.
--
-- Change 2 is a single CREATE TABLE with a PRIMARY KEY, a UNIQUE column and a REFERENCES
-- clause: pgGit v1 records it as a CREATE TABLE row, one CREATE INDEX row per index (the key,
-- the unique column) and an ALTER TABLE row for the foreign key, all with the same sql_executed
-- and created_at. A converter must group them into one change and run the text once (running it
-- once per row fails with "relation already exists"). Change 1 gives two rows the same way
-- (table and key); change 3, a later ALTER, must be a change of its own.
-- Expected: 3 changes, 3 commits, no failure.

-- 1. Two rows: TABLE + INDEX (authors_pkey).
SET pggit_fixture.clock = '2024-03-01 10:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE authors (
    id integer PRIMARY KEY,
    name text NOT NULL
);

-- 2. Four rows: TABLE, INDEX books_pkey, INDEX books_isbn_key, ALTER TABLE (the foreign key).
SET pggit_fixture.clock = '2024-03-01 10:05:00';
CREATE TABLE books (
    id integer PRIMARY KEY,
    author_id integer NOT NULL REFERENCES authors (id),
    isbn text UNIQUE
);

-- 3. One row: ALTER TABLE books - Added column(s): title.
SET pggit_fixture.clock = '2024-03-02 09:00:00';
SET pggit_fixture."user" = 'bob';
ALTER TABLE books ADD COLUMN title text NOT NULL DEFAULT '';

RESET pggit_fixture.clock;
RESET pggit_fixture."user";
