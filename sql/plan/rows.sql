-- The v1 rows a plan looks at (pggit_history_rows: pggit.history, with
-- history_archive when there is one; ds_history_sql). Each plan query reads
-- them as "pggit_v1_rows", which plan.c replaces with this query.
SELECT h.id, h.change_type::text AS change_type, h.created_at, h.created_by,
       h.sql_executed IS NULL AS no_sql,
       o.object_type::text AS object_type, o.full_name, o.object_name, h.sql_executed
FROM pggit_history_rows AS h
LEFT JOIN pggit.objects AS o ON o.id = h.object_id
