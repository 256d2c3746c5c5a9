-- The v1 rows a plan looks at, archived ones included (see rows.sql).
SELECT h.id, h.change_type::text AS change_type, h.created_at, h.created_by,
       h.sql_executed IS NULL AS no_sql,
       o.object_type::text AS object_type, o.full_name, o.object_name, h.sql_executed
FROM (SELECT * FROM pggit.history UNION ALL SELECT * FROM pggit.history_archive) AS h
LEFT JOIN pggit.objects AS o ON o.id = h.object_id
