-- As meaning_rows.sql, with the rows pgGit's cleanup moved to
-- history_archive.
SELECT h.id,
       h.change_type::text,
       o.object_type::text,
       o.schema_name,
       o.object_name,
       n.raw_name,
       quote_ident(n.raw_name) AS quoted_name,
       n.raw_name IS DISTINCT FROM o.object_name AS was_quoted,
       h.object_id,
       coalesce(strpos(lower(h.sql_executed), lower(n.raw_name)) > 0, false) AS names_object,
       coalesce(h.sql_executed ~* '\mrename\s+to\M|\mset\s+schema\M', false) AS renames,
       coalesce(jsonb_typeof(h.old_metadata -> 'columns') = 'array'
                AND jsonb_typeof(h.new_metadata -> 'columns') = 'array'
                AND h.old_metadata -> 'columns' <> h.new_metadata -> 'columns',
                false) AS columns_changed
  FROM (SELECT id, object_id, change_type, sql_executed, old_metadata, new_metadata, created_at
          FROM pggit.history
        UNION ALL
        SELECT id, object_id, change_type, sql_executed, old_metadata, new_metadata, created_at
          FROM pggit.history_archive) AS h
  LEFT JOIN pggit.objects AS o ON o.id = h.object_id
 CROSS JOIN LATERAL (
       SELECT CASE WHEN o.object_name ~ '^"([^"]|"")+"$'
                   THEN replace(substr(o.object_name, 2, length(o.object_name) - 2), '""', '"')
                   ELSE o.object_name END AS raw_name) AS n
 ORDER BY h.created_at, h.id
