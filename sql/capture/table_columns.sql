-- Columns of the tables of the tracked schemas (those of table.sql), in
-- attnum order. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- collation_name is set only when the column's collation differs from its
-- type's, and is qualified unless it lives in pg_catalog (always searched).
-- For an identity column the seq_* columns describe its sequence, so the C
-- side can print the options that differ from the defaults; the sequence's
-- name is printed only when it is not the one PostgreSQL would choose.
--
-- is_written is false for a column a table has only from its inheritance
-- parents: CREATE TABLE ... INHERITS makes it, so it is not written again.
-- That CREATE TABLE also copies to the child the storage, compression,
-- default and NOT NULL its parents' columns have at that moment, which may
-- not be their final state yet: a checkout runs the ALTER TABLE ONLY
-- statements that set them in an order of its own, before or after it
-- creates the child. So a child says its own state wherever an ancestor's
-- could be copied: storage and compression when its own or an ancestor's is
-- not the default, DROP DEFAULT when it has none and an ancestor has one,
-- SET / DROP NOT NULL (not_null_alter) unless its CREATE TABLE or a
-- parent's already writes the NOT NULL, or no ancestor has one to copy.
-- Partitions are created alone and attached, so they copy nothing (and
-- every column of theirs is written).
--
-- stat_target is set when not the default (-1), options (attoptions) are
-- sorted by name like every other option list.
WITH RECURSIVE
-- (table, ancestor) for inheritance, not partitioning, at every distance
ancestry AS (
    SELECT i.inhrelid AS relid, i.inhparent AS ancestor
    FROM pg_inherits AS i
    JOIN pg_class AS c ON c.oid = i.inhrelid
    WHERE NOT c.relispartition
        AND c.relnamespace = ANY ($1::oid[])
    UNION
    SELECT a.relid, i.inhparent
    FROM ancestry AS a
    JOIN pg_inherits AS i ON i.inhrelid = a.ancestor
)
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
    ids.is_cycle AS seq_cycle,
    a.attislocal OR c.relispartition AS is_written,
    CASE
        WHEN a.attstorage <> t.typstorage OR coalesce(anc.storage_set, false)
        THEN CASE a.attstorage
            WHEN 'p' THEN 'PLAIN'
            WHEN 'e' THEN 'EXTERNAL'
            WHEN 'm' THEN 'MAIN'
            WHEN 'x' THEN 'EXTENDED'
        END
    END AS storage,
    CASE
        WHEN a.attcompression <> '' OR coalesce(anc.compression_set, false)
        THEN CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' ELSE 'default' END
    END AS compression,
    nullif(a.attstattarget, -1) AS stat_target,
    CASE WHEN a.attoptions IS NOT NULL THEN (
        SELECT string_agg(format('%s=%L', o.option_name, o.option_value), ', '
                          ORDER BY o.option_name COLLATE "C")
        FROM pg_options_to_table(a.attoptions) AS o
    ) END AS options,
    ad.adbin IS NULL AND coalesce(anc.has_default, false) AS drop_default,
    CASE
        WHEN a.attnotnull AND (a.attislocal OR coalesce(par.writes_not_null, false)) THEN NULL
        WHEN a.attnotnull AND anc.relid IS NOT NULL THEN 'SET NOT NULL'
        WHEN NOT a.attnotnull AND coalesce(anc.not_null, false) THEN 'DROP NOT NULL'
    END AS not_null_alter
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
LEFT JOIN LATERAL (
    SELECT
        min(x.relid) AS relid,
        bool_or(pa.attstorage <> t.typstorage) AS storage_set,
        bool_or(pa.attcompression <> '') AS compression_set,
        bool_or(pd.adbin IS NOT NULL AND pa.attgenerated = '') AS has_default,
        bool_or(pa.attnotnull) AS not_null
    FROM ancestry AS x
    JOIN pg_attribute AS pa
        ON pa.attrelid = x.ancestor AND pa.attname = a.attname AND NOT pa.attisdropped
    LEFT JOIN pg_attrdef AS pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
    WHERE x.relid = a.attrelid
) AS anc ON a.attinhcount > 0
-- a parent whose CREATE TABLE writes the column NOT NULL
LEFT JOIN LATERAL (
    SELECT bool_or(pa.attnotnull AND pa.attislocal) AS writes_not_null
    FROM pg_inherits AS i
    JOIN pg_attribute AS pa
        ON pa.attrelid = i.inhparent AND pa.attname = a.attname AND NOT pa.attisdropped
    WHERE i.inhrelid = a.attrelid
) AS par ON a.attinhcount > 0 AND NOT c.relispartition
WHERE c.relkind IN ('r', 'p')
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND a.attnum > 0
    AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum;
