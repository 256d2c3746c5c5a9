-- Functions, window functions and procedures of the tracked schemas.
-- Aggregates are aggregate.sql's; extension members are never captured,
-- nor the functions PostgreSQL makes as part of another object (the
-- constructors of a range type and of its multirange type: they depend on
-- it with deptype 'i' and come back with CREATE TYPE).
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- The object name carries the identity arguments so that overloads are
-- distinct objects.
SELECT f.funcid, f.schema_name, f.object_name, f.kind, f.definition
FROM (
    SELECT
        p.oid AS funcid,
        n.nspname AS schema_name,
        p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS object_name,
        CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END AS kind,
        pg_get_functiondef(p.oid) AS definition
    FROM pg_proc AS p
    JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'w', 'p')
        AND p.pronamespace = ANY ($1::oid[])
        AND ($2::oid[] IS NULL OR p.oid = ANY ($2::oid[]))
        AND NOT EXISTS (
            SELECT
            FROM pg_depend AS d
            WHERE d.classid = 'pg_proc'::regclass
                AND d.objid = p.oid
                AND d.deptype IN ('e', 'i')
        )
) AS f
ORDER BY f.schema_name COLLATE "C", f.object_name COLLATE "C";
