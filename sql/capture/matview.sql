-- Materialized views of the tracked schemas, each with what its text needs
-- besides the query: column settings, indexes and CLUSTER ON, already as
-- statements. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Storage parameters (the TOAST table's ones with their "toast." prefix)
-- and column options are sorted by name, because PostgreSQL keeps them in
-- the order they were written. The access method is named only when it is
-- not heap, the default of a fresh database. Whether the view is populated
-- is data, not schema: it is not read here (see matview.c).
SELECT
    c.oid AS relid,
    n.nspname AS schema_name,
    c.relname AS matview_name,
    format('%I.%I', n.nspname, c.relname) AS qualified_name,
    nullif(quote_ident(am.amname), 'heap') AS access_method,
    (
        SELECT string_agg(format('%s=%L', o.option_name, o.option_value), ', '
                          ORDER BY o.option_name COLLATE "C")
        FROM (
            SELECT ro.option_name, ro.option_value
            FROM pg_options_to_table(c.reloptions) AS ro
            UNION ALL
            SELECT 'toast.' || tro.option_name, tro.option_value
            FROM pg_class AS tc
            CROSS JOIN LATERAL pg_options_to_table(tc.reloptions) AS tro
            WHERE tc.oid = c.reltoastrelid
        ) AS o
    ) AS reloptions,
    pg_get_viewdef(c.oid) AS definition,
    -- per column, in attnum order: statistics target, storage, options,
    -- compression, as ALTER statements
    (
        SELECT string_agg(s.statement, E'\n' ORDER BY a.attnum, s.ord)
        FROM pg_attribute AS a
        JOIN pg_type AS ty ON ty.oid = a.atttypid
        CROSS JOIN LATERAL (
            SELECT 1 AS ord, format('SET STATISTICS %s', a.attstattarget) AS action
            WHERE a.attstattarget >= 0
            UNION ALL
            SELECT 2, 'SET STORAGE ' || CASE a.attstorage
                WHEN 'p' THEN 'PLAIN'
                WHEN 'e' THEN 'EXTERNAL'
                WHEN 'm' THEN 'MAIN'
                ELSE 'EXTENDED'
            END
            WHERE a.attstorage <> ty.typstorage
            UNION ALL
            SELECT 3, format('SET (%s)', (
                SELECT string_agg(format('%s=%L', o.option_name, o.option_value), ', '
                                  ORDER BY o.option_name COLLATE "C")
                FROM pg_options_to_table(a.attoptions) AS o
            ))
            WHERE a.attoptions IS NOT NULL
            UNION ALL
            SELECT 4, 'SET COMPRESSION ' || CASE a.attcompression WHEN 'l' THEN 'lz4' ELSE 'pglz' END
            WHERE a.attcompression <> ''
        ) AS x
        CROSS JOIN LATERAL (
            SELECT x.ord,
                format('ALTER MATERIALIZED VIEW %I.%I ALTER COLUMN %I %s;',
                       n.nspname, c.relname, a.attname, x.action) AS statement
        ) AS s
        WHERE a.attrelid = c.oid
            AND a.attnum > 0
            AND NOT a.attisdropped
    ) AS column_settings,
    -- indexes by name, each followed by the statistics targets of its
    -- (expression) columns
    (
        SELECT string_agg(
            pg_get_indexdef(i.indexrelid) || ';' || coalesce((
                SELECT string_agg(
                    format(E'\nALTER INDEX %I.%I ALTER COLUMN %s SET STATISTICS %s;',
                           n.nspname, ic.relname, ia.attnum, ia.attstattarget),
                    '' ORDER BY ia.attnum)
                FROM pg_attribute AS ia
                WHERE ia.attrelid = i.indexrelid
                    AND ia.attstattarget >= 0
            ), ''),
            E'\n' ORDER BY ic.relname COLLATE "C")
        FROM pg_index AS i
        JOIN pg_class AS ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid
    ) AS indexes,
    (
        SELECT quote_ident(ic.relname)
        FROM pg_index AS i
        JOIN pg_class AS ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid
            AND i.indisclustered
    ) AS cluster_index
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_am AS am ON am.oid = c.relam
WHERE c.relkind = 'm'
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
