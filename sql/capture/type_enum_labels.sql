-- The labels of the enum types of the tracked schemas, as SQL literals.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Ordered by type, then by enumsortorder: the order of the labels is the
-- order of the values, so it is schema (ALTER TYPE ... ADD VALUE BEFORE
-- puts a label between two others, whatever the order of creation).
SELECT
    e.enumtypid AS typid,
    quote_literal(e.enumlabel) AS label
FROM pg_enum AS e
JOIN pg_type AS ty ON ty.oid = e.enumtypid
WHERE ty.typnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR ty.oid = ANY ($2::oid[]))
ORDER BY e.enumtypid, e.enumsortorder;
