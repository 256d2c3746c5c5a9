-- testdata/cases/constraint_readd.sql: a constraint dropped and added again under the same
-- name in one migration file (found in Harbor's history, docs/real-histories.md).
--
-- Change 2 is one string, as golang-migrate sends a file: it drops the unique constraint
-- unique_artifact and adds it back, on other columns, under the same name. pgGit records a
-- DROP INDEX row for the constraint's index (sql_drop) and an ALTER TABLE row; the index
-- exists again at the end of the change, so the table's blob still defines it, rightly.
-- Expected: 2 changes, 2 commits, no failure; after change 2 public/table/artifact.sql has
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
