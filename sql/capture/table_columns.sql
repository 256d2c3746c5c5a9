-- Columns of the ordinary tables of the tracked schemas, in attnum order.
-- $1: oid[] of the tracked schemas.
--
-- collation_name is set only when the column's collation differs from its
-- type's, and is qualified unless it lives in pg_catalog (always searched).
-- For an identity column the seq_* columns describe its sequence, so the C
-- side can print the options that differ from the defaults; the sequence's
-- name is printed only when it is not the one PostgreSQL would choose.
SELECT
    a.attrelid AS relid,
    quote_ident(a.attname) AS column_name,
    format_type(a.atttypid, a.atttypmod) AS type_name,
    CASE
        WHEN a.attcollation = t.typcollation OR a.attcollation = 0 THEN NULL
        WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN quote_ident(co.collname)
        ELSE format('%I.%I', con.nspname, co.collname)
    END AS collation_name,
    a.attidentity AS identity,
    a.attgenerated AS generated,
    pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
    a.attnotnull AS not_null,
    ids.seq_name,
    ids.seq_name_is_default,
    ids.type_name AS seq_type,
    ids.start_value AS seq_start,
    ids.increment_by AS seq_increment,
    ids.min_value AS seq_min,
    ids.max_value AS seq_max,
    ids.cache_size AS seq_cache,
    ids.is_cycle AS seq_cycle
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_type AS t ON t.oid = a.atttypid
LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
LEFT JOIN pg_namespace AS con ON con.oid = co.collnamespace
LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN LATERAL (
    SELECT
        format('%I.%I', sn.nspname, sc.relname) AS seq_name,
        sc.relnamespace = c.relnamespace
            AND sc.relname = c.relname || '_' || a.attname || '_seq' AS seq_name_is_default,
        format_type(s.seqtypid, NULL) AS type_name,
        s.seqstart::text AS start_value,
        s.seqincrement::text AS increment_by,
        s.seqmin::text AS min_value,
        s.seqmax::text AS max_value,
        s.seqcache::text AS cache_size,
        s.seqcycle AS is_cycle
    FROM pg_depend AS d
    JOIN pg_class AS sc ON sc.oid = d.objid
    JOIN pg_namespace AS sn ON sn.oid = sc.relnamespace
    JOIN pg_sequence AS s ON s.seqrelid = sc.oid
    WHERE d.classid = 'pg_class'::regclass
        AND d.refclassid = 'pg_class'::regclass
        AND d.refobjid = a.attrelid
        AND d.refobjsubid = a.attnum
        AND d.deptype = 'i'
) AS ids ON a.attidentity <> ''
WHERE c.relkind = 'r'
    AND NOT c.relispartition
    AND c.relnamespace = ANY ($1::oid[])
    AND a.attnum > 0
    AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum;
