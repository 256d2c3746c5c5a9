-- Constraints of the tables of the tracked schemas, by name, each with its
-- place in the table's text ("placement"):
--   inline       in the CREATE TABLE
--   separate     ALTER TABLE ... ADD CONSTRAINT after it: NOT VALID ones,
--                which CREATE TABLE would mark valid
--   foreign key  ALTER TABLE ... ADD CONSTRAINT later still, so that a
--                checkout can create every table before any reference
--   validate     ALTER TABLE ... VALIDATE CONSTRAINT, see below
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Left out, because another statement makes them: CHECK constraints a
-- child has only from its inheritance parents (CREATE TABLE ... INHERITS
-- copies them), and foreign keys a partition has from its partitioned
-- parent (conparentid; the parent's foreign key is cloned onto every
-- partition it gets). A partition writes its inherited CHECK constraints:
-- ATTACH PARTITION demands that the table already has them; except those
-- that are NOT VALID, which the parent's ALTER TABLE ... ADD CONSTRAINT ...
-- NOT VALID gives it (a checkout attaches partitions before it adds
-- constraints, as pg_dump's order does). A child's inherited CHECK
-- constraint that is valid while a parent's is NOT VALID (the child came
-- after the constraint) is validated, since the parent's statement, if it
-- runs after the child exists, makes it NOT VALID. Constraint triggers
-- (contype 't') are triggers, in table_triggers.sql.
--
-- pg_get_constraintdef() leaves out the storage parameters of the index of
-- a PRIMARY KEY or UNIQUE constraint, so those two are spelled out here
-- from the index, the way CREATE TABLE takes them. It writes an EXCLUDE
-- constraint's parameters in the order they were given: they are sorted by
-- name, as everywhere.
SELECT * FROM (
SELECT
    co.conrelid AS relid,
    quote_ident(co.conname) AS constraint_name,
    CASE
        WHEN co.contype IN ('p', 'u') THEN concat(
            CASE co.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END,
            CASE WHEN i.indnullsnotdistinct THEN ' NULLS NOT DISTINCT' END,
            ' (', cols.key_columns, ')',
            ' INCLUDE (' || cols.included_columns || ')',
            ' WITH (' || opts.sorted || ')',
            CASE WHEN co.condeferrable THEN ' DEFERRABLE' END,
            CASE WHEN co.condeferred THEN ' INITIALLY DEFERRED' END
        )
        WHEN co.contype = 'x' AND opts.sorted IS NOT NULL THEN replace(
            pg_get_constraintdef(co.oid),
            ' WITH (' || opts.as_stored || ')',
            ' WITH (' || opts.sorted || ')'
        )
        ELSE pg_get_constraintdef(co.oid)
    END AS definition,
    CASE
        WHEN co.contype = 'f' THEN 'foreign key'
        WHEN co.contype <> 'c' THEN 'inline'
        WHEN c.relispartition AND co.coninhcount > 0 AND NOT co.convalidated THEN NULL
        WHEN co.conislocal OR c.relispartition THEN
            CASE WHEN co.convalidated THEN 'inline' ELSE 'separate' END
        WHEN co.convalidated AND EXISTS (
            SELECT
            FROM pg_inherits AS inh
            JOIN pg_constraint AS pco
                ON pco.conrelid = inh.inhparent AND pco.conname = co.conname
            WHERE inh.inhrelid = co.conrelid
                AND pco.contype = 'c'
                AND NOT pco.convalidated
        ) THEN 'validate'
    END AS placement,
    co.conname AS sort_name
FROM pg_constraint AS co
JOIN pg_class AS c ON c.oid = co.conrelid
LEFT JOIN pg_index AS i ON i.indexrelid = co.conindid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_class AS ic ON ic.oid = i.indexrelid
LEFT JOIN LATERAL (
    SELECT
        string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
            FILTER (WHERE k.n <= i.indnkeyatts) AS key_columns,
        string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
            FILTER (WHERE k.n > i.indnkeyatts) AS included_columns
    FROM unnest(i.indkey) WITH ORDINALITY AS k (attnum, n)
    JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
) AS cols ON true
LEFT JOIN LATERAL (
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
) AS opts ON true
WHERE c.relkind IN ('r', 'p')
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND co.contype IN ('c', 'f', 'p', 'u', 'x')
    AND (co.contype <> 'f' OR co.conparentid = 0)
) AS k
WHERE k.placement IS NOT NULL
ORDER BY k.relid, k.sort_name COLLATE "C";
