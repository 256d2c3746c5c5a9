-- testdata/cases/constraint_readd.sql: a constraint dropped and added again under the same
-- name in one migration file (found in Harbor's history, docs/real-histories.md).
--
-- Change 2 is one string, as golang-migrate sends a file: it drops the unique constraint
-- unique_artifact and adds it back, on other columns, under the same name. pgGit records a
-- DROP INDEX row for the constraint's index (sql_drop) and an ALTER TABLE row; the index
-- exists again at the end of the change, so the table's blob still defines it, rightly.
-- Expected (changes 1-2): 2 commits, no failure; after change 2 public/table/artifact.sql has
-- CONSTRAINT unique_artifact UNIQUE (digest, repository_id); verify passes (a DROP row for
-- an object that the same change created again is not a finding).

-- 1.
SET pggit_fixture.clock = '2024-08-01 10:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE artifact (
    id integer PRIMARY KEY,
    repository_id integer NOT NULL,
    digest text NOT NULL,
    CONSTRAINT unique_artifact UNIQUE (repository_id, digest)
);

-- 2. One string, two statements.
SET pggit_fixture.clock = '2024-08-02 10:00:00';
ALTER TABLE artifact DROP CONSTRAINT unique_artifact \;
ALTER TABLE artifact ADD CONSTRAINT unique_artifact UNIQUE (digest, repository_id);

-- The same within one change when the index goes along with its column or table, which
-- the SQL does not name (found in Harbor's, Lemmy's and supabase/auth's histories). Each
-- table is created first, so that pgGit tracks its indexes and records their DROP rows.
-- Expected: 4 more changes with no failure; each re-made index is still in its table's
-- blob, and verify passes.

-- 3.
SET pggit_fixture.clock = '2024-08-03 10:00:00';
CREATE TABLE tag_ref (
    id integer PRIMARY KEY,
    repository_id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT unique_tag_ref UNIQUE (repository_id, name)
) \;
CREATE TABLE token (id integer PRIMARY KEY, code uuid NOT NULL UNIQUE) \;
CREATE TABLE totals (id integer PRIMARY KEY, n bigint) \;
CREATE TABLE account (provider text NOT NULL, sub text NOT NULL, PRIMARY KEY (provider, sub));

-- 4. The unique constraint goes with a dropped column and is added again under its name.
SET pggit_fixture.clock = '2024-08-04 10:00:00';
ALTER TABLE tag_ref DROP COLUMN name \;
ALTER TABLE tag_ref ADD CONSTRAINT unique_tag_ref UNIQUE (repository_id);

-- 5. The primary key goes with its column; ADD PRIMARY KEY makes token_pkey again.
SET pggit_fixture.clock = '2024-08-05 10:00:00';
ALTER TABLE token DROP COLUMN id, ADD PRIMARY KEY (code), DROP CONSTRAINT token_code_key;

-- 6. The table is dropped and made again as it was: its blob does not change.
SET pggit_fixture.clock = '2024-08-06 10:00:00';
DROP TABLE totals \;
CREATE TABLE totals AS SELECT 1::integer AS id, 0::bigint AS n \;
ALTER TABLE totals ADD PRIMARY KEY (id);

-- 7. The primary key dropped by name and made again by ADD COLUMN ... PRIMARY KEY.
SET pggit_fixture.clock = '2024-08-07 10:00:00';
ALTER TABLE account
    DROP CONSTRAINT IF EXISTS account_pkey,
    ADD COLUMN id uuid DEFAULT gen_random_uuid() PRIMARY KEY;
