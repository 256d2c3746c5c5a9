-- Recorded failures from the rows s.
INSERT INTO pggit_v2.failed_changes
    (first_history_id, history_ids, statement_number, statement, error, sqlstate, created_at)
SELECT s.first_history_id::bigint, s.history_ids::bigint[], s.statement_number::integer,
       s.statement, s.error, s.sqlstate, s.created_at::timestamp
FROM s
ON CONFLICT (first_history_id) DO NOTHING
