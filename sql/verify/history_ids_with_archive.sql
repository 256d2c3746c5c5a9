-- As history_ids.sql, with the archived rows.
SELECT h.id, row_number() OVER (ORDER BY h.created_at, h.id) AS position
  FROM (SELECT id, created_at FROM pggit.history
        UNION ALL
        SELECT id, created_at FROM pggit.history_archive) AS h
 ORDER BY h.id
