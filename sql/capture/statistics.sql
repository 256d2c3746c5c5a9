-- Extended statistics objects of the tracked schemas, extension members
-- excepted. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- The definition is pg_get_statisticsobjdef()'s (the kinds only when not
-- all of them are built); stattarget is NULL unless ALTER STATISTICS ...
-- SET STATISTICS changed it from the default (-1).
SELECT
    s.oid AS statid,
    n.nspname AS schema_name,
    s.stxname AS statistics_name,
    format('%I.%I', n.nspname, s.stxname) AS qualified_name,
    pg_get_statisticsobjdef(s.oid) AS definition,
    nullif(s.stxstattarget, -1) AS stattarget
FROM pg_statistic_ext AS s
JOIN pg_namespace AS n ON n.oid = s.stxnamespace
WHERE s.stxnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR s.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_statistic_ext'::regclass
            AND d.objid = s.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", s.stxname COLLATE "C";
