-- Sequences of the tracked schemas, except identity sequences (they are
-- part of their column's IDENTITY clause) and extension members.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- A sequence owned by a column (serial, or ALTER SEQUENCE ... OWNED BY) is
-- returned with its owner: it is rendered inside that table's text (or
-- listed by uncaptured.sql when that relation is not captured yet).
-- owner_relid is only used to find the table; it never reaches the DDL.
-- last_value is state, not schema, and is not read.
SELECT
    c.oid AS seqid,
    n.nspname AS schema_name,
    c.relname AS seq_name,
    format('%I.%I', n.nspname, c.relname) AS qualified_name,
    owner.relid AS owner_relid,
    owner.column_name AS owner_column,
    c.relpersistence = 'u' AS is_unlogged,
    format_type(s.seqtypid, NULL) AS type_name,
    s.seqstart::text AS start_value,
    s.seqincrement::text AS increment_by,
    s.seqmin::text AS min_value,
    s.seqmax::text AS max_value,
    s.seqcache::text AS cache_size,
    s.seqcycle AS is_cycle
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_sequence AS s ON s.seqrelid = c.oid
LEFT JOIN LATERAL (
    SELECT
        t.oid AS relid,
        format('%I.%I.%I', tn.nspname, t.relname, a.attname) AS column_name
    FROM pg_depend AS d
    JOIN pg_class AS t ON t.oid = d.refobjid
    JOIN pg_namespace AS tn ON tn.oid = t.relnamespace
    JOIN pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass
        AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass
        AND d.deptype = 'a'
        AND d.refobjsubid > 0
) AS owner ON true
WHERE c.relkind = 'S'
    AND c.relnamespace = ANY ($1::oid[])
    -- a scope lists the sequences its tables own among their parts
    -- (sql/touched/scope.sql), so the OID index finds them
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_class'::regclass
            AND d.objid = c.oid
            AND d.deptype IN ('e', 'i')
    )
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C";
