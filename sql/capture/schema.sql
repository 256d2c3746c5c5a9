-- Tracked schemas. $1: oid[] of the tracked schemas.
SELECT
    n.oid AS schema_oid,
    n.nspname AS schema_name,
    quote_ident(n.nspname) AS quoted_name
FROM pg_namespace AS n
WHERE n.oid = ANY ($1::oid[])
ORDER BY n.nspname COLLATE "C";
