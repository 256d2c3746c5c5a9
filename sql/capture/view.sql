-- Views of the tracked schemas (not materialized views, which uncaptured.sql
-- lists). $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- The check option is stored as a reloption but is written, as pg_dump
-- does, as WITH ... CHECK OPTION after the query; the other options are
-- sorted by name because PostgreSQL keeps them in the order written.
SELECT
    c.oid AS relid,
    n.nspname AS schema_name,
    c.relname AS view_name,
    format('%I.%I', n.nspname, c.relname) AS qualified_name,
    (
        SELECT string_agg(format('%s=%L', o.option_name, o.option_value), ', '
                          ORDER BY o.option_name COLLATE "C")
        FROM pg_options_to_table(c.reloptions) AS o
        WHERE o.option_name <> 'check_option'
    ) AS reloptions,
    (
        SELECT upper(o.option_value)
        FROM pg_options_to_table(c.reloptions) AS o
        WHERE o.option_name = 'check_option'
    ) AS check_option,
    pg_get_viewdef(c.oid) AS definition
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind = 'v'
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_class'::regclass
            AND d.objid = c.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C";
