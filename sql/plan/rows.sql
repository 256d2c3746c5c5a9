-- The v1 rows a plan looks at (pggit.history); rows_with_archive.sql adds
-- pggit.history_archive. Each plan query reads them as "pggit_v1_rows",
-- which plan.c replaces with one of the two.
SELECT h.id, h.change_type::text AS change_type, h.created_at, h.created_by,
       h.sql_executed IS NULL AS no_sql,
       o.object_type::text AS object_type, o.full_name, o.object_name, h.sql_executed
FROM pggit.history AS h
LEFT JOIN pggit.objects AS o ON o.id = h.object_id
