-- Every v1 row with what the meaning check (src/verify/meaning.c) compares
-- with its commit, in replay order: the change, the object's kind, schema
-- and name as pgGit recorded them, the name without pgGit's quotes and
-- quoted again by PostgreSQL's own rules (as pg_get_indexdef writes it),
-- and three hints taken from the row: whether its SQL names the object at
-- all (anywhere, case-insensitively), whether it renames or moves a
-- relation (RENAME TO, SET SCHEMA; not RENAME [COLUMN] a TO b), and whether
-- the column list pgGit keeps in old_metadata/new_metadata changed.
-- pggit_history_rows: pggit.history, with history_archive when there is one
-- (ds_history_sql).
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
                false) AS columns_changed,
       -- the change's SQL drops an index of this name (DROP INDEX name, DROP
       -- CONSTRAINT name, or DROP TABLE / DROP COLUMN, which take a table's
       -- indexes along) and makes one again (CREATE INDEX name, ADD
       -- CONSTRAINT name, or a PRIMARY KEY / UNIQUE, which PostgreSQL names
       -- table_pkey / table_..._key: ADD PRIMARY KEY, ADD COLUMN ... PRIMARY
       -- KEY): its DROP row is then the first half of a drop and re-create
       -- within the change
       -- (computed for DROP INDEX rows only: the pattern is built per row)
       o.object_type = 'INDEX' AND h.change_type = 'DROP' AND
       coalesce((h.sql_executed ~* ('\mdrop\s+(index|constraint)(\s+concurrently)?'
                                    '(\s+if\s+exists)?\s+([^\s;,]+\.)?"?' || x.name_rx || '"?(\s|;|,|$)')
                 OR h.sql_executed ~* '\mdrop\s+(table|column)\M')
                AND (h.sql_executed ~* ('\m(create\s+(unique\s+)?index(\s+concurrently)?'
                                        '(\s+if\s+not\s+exists)?|add\s+constraint)\s+"?'
                                        || x.name_rx || '"?(\s|\(|;|$)')
                     OR (n.raw_name ~ '_pkey$' AND h.sql_executed ~* '\mprimary\s+key\M')
                     OR (n.raw_name ~ '_key$' AND h.sql_executed ~* '\munique\M')),
                false) AS remakes_index
  FROM pggit_history_rows AS h
  LEFT JOIN pggit.objects AS o ON o.id = h.object_id
 CROSS JOIN LATERAL (
       SELECT CASE WHEN o.object_name ~ '^"([^"]|"")+"$'
                   THEN replace(substr(o.object_name, 2, length(o.object_name) - 2), '""', '"')
                   ELSE o.object_name END AS raw_name) AS n
 CROSS JOIN LATERAL (
       SELECT regexp_replace(n.raw_name, '([][\\^$.|?*+(){}-])', '\\\1', 'g') AS name_rx) AS x
 ORDER BY h.created_at, h.id
