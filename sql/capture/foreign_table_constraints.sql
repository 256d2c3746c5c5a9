-- CHECK constraints of the foreign tables of the tracked schemas (the only
-- kind a foreign table can have), by name. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- A NOT VALID constraint is written as ALTER FOREIGN TABLE after the
-- CREATE, because CREATE FOREIGN TABLE would mark it valid.
SELECT
    co.conrelid AS relid,
    quote_ident(co.conname) AS constraint_name,
    pg_get_constraintdef(co.oid) AS definition,
    NOT co.convalidated AS is_separate
FROM pg_constraint AS co
JOIN pg_class AS c ON c.oid = co.conrelid
WHERE c.relkind = 'f'
    AND NOT c.relispartition
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND co.contype = 'c'
ORDER BY co.conrelid, co.conname COLLATE "C";
