-- testdata/cases/rename_plan.sql: a table renamed, then altered under its new name, in a
-- history that recorded every command (found in Harbor's history, docs/real-histories.md).
--
-- Nothing was lost: the history creates replication_target and renames it to registry. pgGit
-- records the rename as an ALTER row on a new objects row named registry; the later ALTER
-- and DROP rows name registry too. `ddlsnap plan` must follow the rename rather than report
-- registry as "altered or dropped, never created".
-- Expected: 8 changes, 8 commits, no failure; plan reports no never_created finding.

-- 1.
SET pggit_fixture.clock = '2024-08-01 10:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE replication_target (
    id integer PRIMARY KEY,
    url text NOT NULL,
    username text
);

-- 2.
SET pggit_fixture.clock = '2024-08-02 10:00:00';
ALTER TABLE replication_target RENAME TO registry;

-- 3.
SET pggit_fixture.clock = '2024-08-03 10:00:00';
ALTER TABLE registry RENAME COLUMN username TO access_key \;
ALTER TABLE registry ADD COLUMN insecure boolean NOT NULL DEFAULT false;

-- 4.
SET pggit_fixture.clock = '2024-08-04 10:00:00';
ALTER TABLE registry ADD COLUMN description text;

-- 5.
SET pggit_fixture.clock = '2024-08-05 10:00:00';
ALTER TABLE registry ADD CONSTRAINT registry_url_key UNIQUE (url);

-- 6.
SET pggit_fixture.clock = '2024-08-06 10:00:00';
ALTER INDEX registry_url_key SET (fillfactor = 90);

-- 7. A rename a DO block runs by EXECUTE, as migrations that check the catalog first do
-- (found in supabase/auth's history): the ALTER row's SQL is the DO block, where the new
-- name is followed by the string's closing quote.
SET pggit_fixture.clock = '2024-08-07 10:00:00';
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_indexes WHERE indexname = 'registry_url_key') THEN
        EXECUTE 'ALTER INDEX registry_url_key RENAME TO registry_url_uniq';
    END IF;
END $$;

-- 8.
SET pggit_fixture.clock = '2024-08-08 10:00:00';
ALTER INDEX registry_url_uniq SET (fillfactor = 80);
