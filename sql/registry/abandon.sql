-- Runs still marked running when a new run holds the conversion lock died
-- without closing their row (killed, or the connection was lost).
UPDATE pggit_v2.backfill_runs
SET status = 'interrupted',
    finished_at = updated_at,
    error = 'the run stopped without closing its registry row (killed, or its connection was lost)'
WHERE status IN ('running', 'pending');
