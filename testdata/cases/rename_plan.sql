-- testdata/cases/rename_plan.sql: a table renamed, then altered under its new name, in a
-- history that recorded every command (found in Harbor's history, docs/real-histories.md).
--
-- Nothing was lost: the history creates replication_target and renames it to registry. pgGit
-- records the rename as an ALTER row on a new objects row named registry; the later ALTER
-- and DROP rows name registry too. `ddlsnap plan` must follow the rename rather than report
-- registry as "altered or dropped, never created".
-- Expected: 4 changes, 4 commits, no failure; plan reports no never_created finding.

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
