-- The CHECK constraints of the domains of the tracked schemas.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Ordered by domain first (the C side finds a domain's rows by binary
-- search), then by name: PostgreSQL checks a domain's constraints in name
-- order, whatever the order they were added in. A constraint that is not
-- validated gets " NOT VALID" in its definition and is added after the
-- domain (is_validated false), as pg_dump does: CREATE DOMAIN cannot say
-- NOT VALID. NOT NULL is the domain's typnotnull (domain.sql), not a row here.
SELECT
    k.contypid AS typid,
    quote_ident(k.conname) AS constraint_name,
    pg_get_constraintdef(k.oid) AS definition,
    k.convalidated AS is_validated
FROM pg_constraint AS k
JOIN pg_type AS ty ON ty.oid = k.contypid
WHERE ty.typtype = 'd'
    AND ty.typnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR ty.oid = ANY ($2::oid[]))
    AND k.contype = 'c'
ORDER BY k.contypid, k.conname COLLATE "C";
