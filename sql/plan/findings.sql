-- What a plan reports about a lossy history, one row per finding:
-- kind, the object (or NULL), the first history id concerned, how many rows.
--   missing_field   rows with NULL created_at, created_by or sql_executed
--   never_created   objects the history ALTERs or DROPs but never CREATEs
--                   (created by something v1 did not record, or before pgGit);
--                   not an object a recorded rename made (pgGit files
--                   ALTER TABLE a RENAME TO b as an ALTER row of b; also
--                   a rename a DO block EXECUTEs: 'ALTER ... RENAME TO b'), nor an
--                   index a recorded ALTER TABLE made (ADD CONSTRAINT name
--                   UNIQUE / PRIMARY KEY / EXCLUDE, ADD PRIMARY KEY, ADD
--                   UNIQUE: pgGit records the ALTER TABLE alone)
--   created_again   objects CREATEd more than once (dropped and re-created,
--                   or a drop v1 lost)
WITH v1 AS (pggit_v1_rows),
per_object AS (
    SELECT r.object_type || ' ' || r.full_name AS object,
           min(r.object_type) AS object_type,
           min(r.object_name) AS object_name,
           min(r.id) AS first_id,
           count(*) FILTER (WHERE r.change_type = 'CREATE') AS creates,
           min(r.id) FILTER (WHERE r.change_type = 'CREATE') AS first_create,
           count(*) AS n
    FROM v1 AS r
    WHERE r.full_name IS NOT NULL
        AND r.object_type IN ('SCHEMA', 'TABLE', 'VIEW', 'MATERIALIZED_VIEW', 'FUNCTION',
                              'PROCEDURE', 'TYPE', 'SEQUENCE', 'INDEX')
    GROUP BY 1
)
SELECT f.kind, f.object, f.first_id, f.n
FROM (
    SELECT 'missing_field' AS kind,
           CASE
               WHEN r.no_sql THEN 'sql_executed'
               WHEN r.created_at IS NULL THEN 'created_at'
               ELSE 'created_by'
           END AS object,
           min(r.id) AS first_id, count(*) AS n
    FROM v1 AS r
    WHERE r.no_sql OR r.created_at IS NULL OR r.created_by IS NULL
    GROUP BY 2
    UNION ALL
    SELECT 'never_created', p.object, p.first_id, p.n
    FROM per_object AS p
    WHERE (p.first_create IS NULL OR p.first_create > p.first_id)
        -- (the patterns are built per object: only for the few candidates)
        AND NOT EXISTS (
            SELECT FROM v1 AS a
            WHERE a.object_type || ' ' || a.full_name = p.object
                AND a.change_type = 'ALTER'
                AND a.sql_executed ~* ('\mrename\s+to\s+"?'
                    || regexp_replace(p.object_name, '([][\\^$.|?*+(){}-])', '\\\1', 'g')
                    || '"?(\s|;|''|$)'))
        AND NOT (p.object_type = 'INDEX' AND EXISTS (
            SELECT FROM v1 AS a
            WHERE a.id <= p.first_id
                AND (a.sql_executed ~* ('\madd\s+constraint\s+"?'
                         || regexp_replace(p.object_name, '([][\\^$.|?*+(){}-])', '\\\1', 'g')
                         || '"?\s+(unique|primary\s+key|exclude)\M')
                     OR (p.object_name ~ '_pkey$' AND a.sql_executed ~* '\mprimary\s+key\M')
                     OR (p.object_name ~ '_key$' AND a.sql_executed ~* '\munique\M'))))
    UNION ALL
    SELECT 'created_again', p.object, p.first_create, p.creates
    FROM per_object AS p
    WHERE p.creates > 1
) AS f
ORDER BY f.kind COLLATE "C", f.first_id, f.object COLLATE "C";
