-- Foreign tables of the tracked schemas. Those that are partitions are not
-- captured yet (uncaptured.sql lists them); extension members never are.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- relid only links the rows of foreign_table_*.sql to their table; it never
-- reaches the DDL. Options are sorted by name, as foreign_data_wrapper.sql
-- explains.
SELECT
    c.oid AS relid,
    n.nspname AS schema_name,
    c.relname AS table_name,
    format('%I.%I', n.nspname, c.relname) AS qualified_name,
    quote_ident(s.srvname) AS server_name,
    (
        SELECT string_agg(format('%I %L', o.option_name, o.option_value), ', '
                          ORDER BY o.option_name COLLATE "C")
        FROM pg_options_to_table(ft.ftoptions) AS o
    ) AS options
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_foreign_table AS ft ON ft.ftrelid = c.oid
JOIN pg_foreign_server AS s ON s.oid = ft.ftserver
WHERE c.relkind = 'f'
    AND NOT c.relispartition
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
