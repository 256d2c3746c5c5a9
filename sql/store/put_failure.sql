INSERT INTO pggit_v2.failed_changes
    (first_history_id, history_ids, statement_number, statement, error, sqlstate, created_at)
VALUES ($1::bigint, $2::bigint[], $3::integer, $4, $5, $6, $7::timestamp)
ON CONFLICT (first_history_id) DO NOTHING
