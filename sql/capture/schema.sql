-- Tracked schemas. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
SELECT
    n.oid AS schema_oid,
    n.nspname AS schema_name,
    quote_ident(n.nspname) AS quoted_name
FROM pg_namespace AS n
WHERE n.oid = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR n.oid = ANY ($2::oid[]))
ORDER BY n.nspname COLLATE "C";
