-- Columns of the foreign tables of the tracked schemas, in attnum order.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- collation_name is set only when the column's collation differs from its
-- type's, and is qualified unless it lives in pg_catalog (always searched).
-- options are the column's options for its wrapper, sorted by name as
-- foreign_data_wrapper.sql explains. A foreign table has no identity
-- columns; a generated column has its expression in default_expr.
SELECT
    a.attrelid AS relid,
    quote_ident(a.attname) AS column_name,
    format_type(a.atttypid, a.atttypmod) AS type_name,
    CASE
        WHEN a.attcollation = t.typcollation OR a.attcollation = 0 THEN NULL
        WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN quote_ident(co.collname)
        ELSE format('%I.%I', con.nspname, co.collname)
    END AS collation_name,
    (
        SELECT string_agg(format('%I %L', o.option_name, o.option_value), ', '
                          ORDER BY o.option_name COLLATE "C")
        FROM pg_options_to_table(a.attfdwoptions) AS o
    ) AS options,
    a.attgenerated AS generated,
    pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
    a.attnotnull AS not_null
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_type AS t ON t.oid = a.atttypid
LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
LEFT JOIN pg_namespace AS con ON con.oid = co.collnamespace
LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relkind = 'f'
    AND NOT c.relispartition
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND a.attnum > 0
    AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum;
