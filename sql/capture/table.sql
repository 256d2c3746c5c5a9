-- Tables of the tracked schemas: ordinary and partitioned tables, and
-- partitions (which are tables too); extension members never are.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- relid only links the rows of table_*.sql to their table; it never reaches
-- the DDL. Storage parameters, the TOAST table's ones included (as
-- toast.name, the way CREATE TABLE takes them), are sorted by name because
-- PostgreSQL keeps them in the order they were written.
--
-- parents lists the inheritance parents in inhseqno order, the order
-- CREATE TABLE ... INHERITS gives them, which decides the column order of
-- the child; a partition has its parent in partition_of and its bound
-- (FOR VALUES ... or DEFAULT) in partition_bound instead. access_method is
-- set only when it is not heap, the one every table gets by default.
SELECT
    c.oid AS relid,
    n.nspname AS schema_name,
    c.relname AS table_name,
    format('%I.%I', n.nspname, c.relname) AS qualified_name,
    c.relpersistence = 'u' AS is_unlogged,
    (
        SELECT string_agg(format('%s=%L', o.name, o.value), ', ' ORDER BY o.name COLLATE "C")
        FROM (
            SELECT t.option_name AS name, t.option_value AS value
            FROM pg_options_to_table(c.reloptions) AS t
            UNION ALL
            SELECT 'toast.' || t.option_name, t.option_value
            FROM pg_class AS tc
            CROSS JOIN LATERAL pg_options_to_table(tc.reloptions) AS t
            WHERE tc.oid = c.reltoastrelid
        ) AS o
    ) AS reloptions,
    CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
    c.relispartition AS is_partition,
    (
        SELECT format('%I.%I', pn.nspname, pc.relname)
        FROM pg_inherits AS i
        JOIN pg_class AS pc ON pc.oid = i.inhparent
        JOIN pg_namespace AS pn ON pn.oid = pc.relnamespace
        WHERE c.relispartition
            AND i.inhrelid = c.oid
    ) AS partition_of,
    CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
    (
        SELECT string_agg(format('%I.%I', pn.nspname, pc.relname), ', ' ORDER BY i.inhseqno)
        FROM pg_inherits AS i
        JOIN pg_class AS pc ON pc.oid = i.inhparent
        JOIN pg_namespace AS pn ON pn.oid = pc.relnamespace
        WHERE NOT c.relispartition
            AND i.inhrelid = c.oid
    ) AS parents,
    CASE WHEN c.reloftype <> 0 THEN format_type(c.reloftype, NULL) END AS of_type,
    (
        SELECT quote_ident(am.amname)
        FROM pg_am AS am
        WHERE am.oid = c.relam
            AND am.amname <> 'heap'
    ) AS access_method,
    c.relreplident AS replica_identity,
    c.relrowsecurity AS row_security,
    c.relforcerowsecurity AS force_row_security
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
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
