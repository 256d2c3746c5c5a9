-- A new run: $1 rows expected, $2 batch size, $3 tool version, $4 arguments.
INSERT INTO pggit_v2.backfill_runs (status, rows_expected, batch_size, tool_version, arguments)
VALUES ('running', $1, $2, $3, $4)
RETURNING run_id;
