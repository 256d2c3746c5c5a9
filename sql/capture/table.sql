-- Ordinary tables of the tracked schemas. Partitions and partitioned tables
-- are not captured yet (uncaptured.sql lists them); extension members never
-- are. $1: oid[] of the tracked schemas.
--
-- relid only links the rows of table_*.sql to their table; it never reaches
-- the DDL. Storage parameters are sorted by name because PostgreSQL keeps
-- them in the order they were written.
SELECT
    c.oid AS relid,
    n.nspname AS schema_name,
    c.relname AS table_name,
    format('%I.%I', n.nspname, c.relname) AS qualified_name,
    c.relpersistence = 'u' AS is_unlogged,
    (
        SELECT string_agg(format('%s=%L', o.option_name, o.option_value), ', '
                          ORDER BY o.option_name COLLATE "C")
        FROM pg_options_to_table(c.reloptions) AS o
    ) AS reloptions
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
    AND NOT c.relispartition
    AND c.relnamespace = ANY ($1::oid[])
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_class'::regclass
            AND d.objid = c.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C";
