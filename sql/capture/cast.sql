-- Casts created by the user (16384 is FirstNormalObjectId: below it,
-- initdb's), extension members excepted, and those that are part of
-- another object (the cast from a range type to its multirange, made by
-- CREATE TYPE, depends on it internally). $1: oid[] of the tracked schemas.
--
-- Casts are database-wide objects. A cast is captured when what it relies
-- on (its source and target types and its function) is built in or lives
-- in a tracked schema, so that pgGit's own casts, and those of the types of
-- an extension's schema, stay out.
--
-- The object name is "source AS target", with the types as format_type()
-- prints them (schema-qualified under the empty search_path).
WITH tracked AS (
    SELECT unnest($1::oid[]) AS oid
    UNION ALL
    SELECT 'pg_catalog'::regnamespace::oid
)
SELECT
    ca.oid AS castid,
    format_type(ca.castsource, NULL) || ' AS ' || format_type(ca.casttarget, NULL) AS object_name,
    format('CREATE CAST (%s AS %s) %s%s;',
           format_type(ca.castsource, NULL),
           format_type(ca.casttarget, NULL),
           CASE ca.castmethod
               WHEN 'f' THEN 'WITH FUNCTION ' || ca.castfunc::regprocedure
               WHEN 'i' THEN 'WITH INOUT'
               ELSE 'WITHOUT FUNCTION'
           END,
           CASE ca.castcontext
               WHEN 'a' THEN ' AS ASSIGNMENT'
               WHEN 'i' THEN ' AS IMPLICIT'
               ELSE ''
           END) AS definition
FROM pg_cast AS ca
JOIN pg_type AS src ON src.oid = ca.castsource
JOIN pg_type AS tgt ON tgt.oid = ca.casttarget
LEFT JOIN pg_proc AS p ON p.oid = ca.castfunc
WHERE ca.oid >= 16384
    AND src.typnamespace IN (SELECT t.oid FROM tracked AS t)
    AND tgt.typnamespace IN (SELECT t.oid FROM tracked AS t)
    AND (p.oid IS NULL OR p.pronamespace IN (SELECT t.oid FROM tracked AS t))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_cast'::regclass
            AND d.objid = ca.oid
            AND d.deptype IN ('e', 'i')
    )
ORDER BY format_type(ca.castsource, NULL) COLLATE "C", format_type(ca.casttarget, NULL) COLLATE "C";
