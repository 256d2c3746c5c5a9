-- Move a run forward: $1 run, $2 status, $3 rows processed, $4 changes,
-- $5 rows resumed, $6 last history id, $7 commits, $8 failed changes,
-- $9 warnings, $10 head, $11 error; a status other than running closes it.
UPDATE pggit_v2.backfill_runs
SET status = $2,
    rows_processed = $3,
    changes_processed = $4,
    rows_resumed = $5,
    last_history_id = $6,
    commits = $7,
    failed_changes = $8,
    warnings = $9,
    head_sha = $10,
    error = $11,
    updated_at = clock_timestamp(),
    finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE clock_timestamp() END
WHERE run_id = $1;
