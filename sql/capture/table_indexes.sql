-- Indexes of the tables of the tracked schemas, by name.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Every index is listed, with what only ALTER can say about it: the
-- clustering index, the replica identity index, per-column statistics
-- targets of expression columns ("attnum target" pairs, comma-separated)
-- and, for an index of a partition, the partitioned index it is attached
-- to. is_constraint marks the indexes that back a PRIMARY KEY, UNIQUE or
-- EXCLUDE constraint: those come with their constraint, so their
-- definition is not written again. pg_get_indexdef() writes the index of a
-- partitioned table ON ONLY that table; its partitions' indexes are
-- attached one by one. It writes the storage parameters in the order they
-- were given: they are sorted by name, as everywhere.
SELECT
    i.indrelid AS relid,
    quote_ident(ic.relname) AS index_name,
    format('%I.%I', n.nspname, ic.relname) AS qualified_name,
    CASE
        WHEN opts.sorted IS NULL THEN pg_get_indexdef(i.indexrelid)
        ELSE replace(
            pg_get_indexdef(i.indexrelid),
            ' WITH (' || opts.as_stored || ')',
            ' WITH (' || opts.sorted || ')'
        )
    END AS definition,
    EXISTS (
        SELECT
        FROM pg_constraint AS co
        WHERE co.conrelid = i.indrelid
            AND co.conindid = i.indexrelid
            AND co.contype IN ('p', 'u', 'x')
    ) AS is_constraint,
    (
        SELECT format('%I.%I', pn.nspname, pc.relname)
        FROM pg_inherits AS inh
        JOIN pg_class AS pc ON pc.oid = inh.inhparent
        JOIN pg_namespace AS pn ON pn.oid = pc.relnamespace
        WHERE inh.inhrelid = i.indexrelid
    ) AS attached_to,
    i.indisclustered AS is_clustered,
    i.indisreplident AS is_replica_identity,
    (
        SELECT string_agg(format('%s %s', ia.attnum, ia.attstattarget), ',' ORDER BY ia.attnum)
        FROM pg_attribute AS ia
        WHERE ia.attrelid = i.indexrelid
            AND ia.attstattarget >= 0
    ) AS column_statistics
FROM pg_index AS i
JOIN pg_class AS c ON c.oid = i.indrelid
JOIN pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_namespace AS n ON n.oid = ic.relnamespace
CROSS JOIN LATERAL (
    SELECT
        string_agg(o.setting, ', ' ORDER BY o.n) AS as_stored,
        string_agg(o.setting, ', ' ORDER BY o.setting COLLATE "C") AS sorted
    FROM (
        -- spelled as pg_get_indexdef() does: the value quoted unless a plain word
        SELECT
            t.n,
            quote_ident(t.option_name) || '=' || CASE
                WHEN quote_ident(t.option_value) = t.option_value THEN t.option_value
                ELSE quote_literal(t.option_value)
            END AS setting
        FROM pg_options_to_table(ic.reloptions) WITH ORDINALITY AS t (option_name, option_value, n)
    ) AS o
) AS opts
WHERE c.relkind IN ('r', 'p')
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
ORDER BY i.indrelid, ic.relname COLLATE "C";
