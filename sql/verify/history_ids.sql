-- Every v1 row id with its place in replay order, by id (pggit_history_rows:
-- see ds_history_sql).
SELECT h.id, row_number() OVER (ORDER BY h.created_at, h.id) AS position
  FROM pggit_history_rows AS h
 ORDER BY h.id
