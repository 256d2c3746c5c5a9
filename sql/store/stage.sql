-- Staging tables for bulk writes (src/sink/store.c): a batch's rows are
-- COPYed here, then moved into the v2 tables by the bulk_*.sql statements,
-- which keep every write idempotent (ON CONFLICT DO NOTHING). Session-local;
-- emptied by each move and again at every COMMIT. Values are text as the
-- converter renders them; the bulk_*.sql statements cast them.
CREATE TEMP TABLE IF NOT EXISTS ddlsnap_stage_objects (
    sha text, type text, size text, content bytea
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS ddlsnap_stage_commits (
    commit_sha text, parent_shas text, tree_sha text, generation text, author text,
    epoch text, message text, history_ids text
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS ddlsnap_stage_changes (
    commit_sha text, object_schema text, object_name text, object_type text,
    object_path text, change_type text, old_definition text, new_definition text,
    author text, epoch text, commit_message text
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS ddlsnap_stage_failures (
    first_history_id text, history_ids text, statement_number text, statement text,
    error text, sqlstate text, created_at text
) ON COMMIT DELETE ROWS;
-- A body is compressed once, when it is COPYed here, and moved into
-- pggit_v2.objects as it is (PostgreSQL does not compress a compressed value
-- again): so it gets the compression pggit_v2.objects asks for, lz4 where
-- the server has it (schema.sql).
DO $$
BEGIN
    -- nested: the condition is one statement, and before 14 it would not
    -- parse (no attcompression)
    IF pg_catalog.current_setting('server_version_num')::integer >= 140000 THEN
        IF (SELECT a.attcompression = 'l'
              FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = 'pggit_v2.objects'::pg_catalog.regclass
               AND a.attname = 'content') THEN
            ALTER TABLE pg_temp.ddlsnap_stage_objects ALTER COLUMN content SET COMPRESSION lz4;
        END IF;
    END IF;
END
$$;
