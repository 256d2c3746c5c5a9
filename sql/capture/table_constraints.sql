-- Constraints of the ordinary tables of the tracked schemas, by name.
-- $1: oid[] of the tracked schemas.
--
-- Foreign keys are written as ALTER TABLE after the CREATE TABLE so that a
-- checkout can create every table before any reference between them; so
-- are constraints that are NOT VALID, because CREATE TABLE would mark them
-- valid. Constraint triggers (contype 't') are triggers, listed as skipped.
SELECT
    co.conrelid AS relid,
    quote_ident(co.conname) AS constraint_name,
    pg_get_constraintdef(co.oid) AS definition,
    co.contype = 'f' OR NOT co.convalidated AS is_separate
FROM pg_constraint AS co
JOIN pg_class AS c ON c.oid = co.conrelid
WHERE c.relkind = 'r'
    AND NOT c.relispartition
    AND c.relnamespace = ANY ($1::oid[])
    AND co.contype IN ('c', 'f', 'p', 'u', 'x')
ORDER BY co.conrelid, co.conname COLLATE "C";
