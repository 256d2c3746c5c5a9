-- As history.sql, with the rows pgGit's cleanup moved to history_archive:
-- they are part of the history and are replayed in the same order.
DECLARE ddlsnap_history NO SCROLL CURSOR FOR
SELECT h.id,
       h.created_at::text,
       extract(epoch FROM h.created_at)::bigint AS epoch,
       h.created_by,
       h.sql_executed,
       h.change_description
  FROM (SELECT id, created_at, created_by, sql_executed, change_description
          FROM pggit.history
        UNION ALL
        SELECT id, created_at, created_by, sql_executed, change_description
          FROM pggit.history_archive) AS h
 ORDER BY h.created_at, h.id
