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
