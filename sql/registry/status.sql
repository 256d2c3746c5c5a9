-- The latest runs, newest first ($1: how many).
SELECT
    s.run_id, s.status, s.started_at::text, s.finished_at::text,
    s.rows_processed, s.rows_expected, s.percent_complete,
    date_trunc('second', s.elapsed)::text AS elapsed,
    date_trunc('second', s.estimated_time_left)::text AS estimated_time_left,
    s.changes_processed, s.rows_resumed, s.last_history_id, s.commits, s.failed_changes,
    s.warnings, s.batch_size, s.head_sha, s.tool_version, s.arguments, s.error
FROM pggit_v2.v_backfill_status AS s
ORDER BY s.run_id DESC
LIMIT $1;
