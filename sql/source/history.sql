-- The v1 history in replay order: pgGit stamps rows with the transaction
-- start time, so rows of one transaction tie on created_at and id breaks the
-- tie. created_at is a timestamp without time zone, read as UTC.
-- pggit_history_rows: pggit.history, with history_archive when there is one
-- (ds_history_sql): archived rows are replayed in the same order.
DECLARE ddlsnap_history NO SCROLL CURSOR FOR
SELECT h.id,
       h.created_at::text,
       extract(epoch FROM h.created_at)::bigint AS epoch,
       h.created_by,
       h.sql_executed,
       h.change_description
  FROM pggit_history_rows AS h
 ORDER BY h.created_at, h.id
