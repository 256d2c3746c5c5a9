-- testdata/cases/matview_index.sql: indexes on a materialized view (found in Lemmy's
-- history, docs/real-histories.md).
--
-- pgGit records CREATE INDEX and DROP INDEX rows for an index on a materialized view (it does
-- not record the materialized view itself, so here the view travels in one string with its
-- index, as in a migration file). The index is captured in the materialized view's blob
-- (public/materialized_view/post_mview.sql), not in a table's.
-- Expected: 3 changes, 3 commits, no failure; after change 2 the materialized view's blob
-- defines idx_post_mview_id, after change 3 it does not; verify passes (the index of a CREATE
-- or DROP INDEX row may live in a materialized view's blob).

-- 1.
SET pggit_fixture.clock = '2024-08-01 10:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE post (
    id integer PRIMARY KEY,
    score integer NOT NULL DEFAULT 0
);

-- 2. One string: the materialized view and its index.
SET pggit_fixture.clock = '2024-08-02 10:00:00';
CREATE MATERIALIZED VIEW post_mview AS SELECT id, score FROM post \;
CREATE UNIQUE INDEX idx_post_mview_id ON post_mview (id);

-- 3.
SET pggit_fixture.clock = '2024-08-03 10:00:00';
DROP INDEX idx_post_mview_id;
