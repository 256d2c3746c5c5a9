-- testdata/cases/extension_comment.sql: a second extension created after a first one (found in
-- Lemmy's history, docs/real-histories.md).
--
-- CREATE EXTENSION sets the comment of the extension's control file, so a snapshot of a
-- database where this ran has COMMENT ON EXTENSION in %global/extension/pgcrypto.sql and
-- ltree.sql. Change 2 creates ltree; the conversion must leave pgcrypto's blob as change 1
-- wrote it, comment included (with incremental capture at main f2390fc, change 2 rewrote it
-- without the comment; fixed by 89bbbbd's time; tests/integration/real_histories.sh). pgGit v1 does not record CREATE EXTENSION, so each extension travels
-- with a table change in one string, as in Lemmy's migrations 2021-09-20-112945_jwt-secret
-- and 2022-07-07-182650_comment_ltrees.
-- Expected: 2 changes, 2 commits, no failure; the head tree equals `ddlsnap snapshot` of the
-- database where this file ran.

-- 1.
SET pggit_fixture.clock = '2024-08-01 10:00:00';
SET pggit_fixture."user" = 'alice';
CREATE EXTENSION IF NOT EXISTS pgcrypto \;
CREATE TABLE node (id integer PRIMARY KEY);

-- 2.
SET pggit_fixture.clock = '2024-08-02 10:00:00';
CREATE EXTENSION IF NOT EXISTS ltree \;
ALTER TABLE node ADD COLUMN path ltree;
