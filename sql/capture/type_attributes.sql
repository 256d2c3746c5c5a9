-- The attributes of the composite types (CREATE TYPE ... AS) of the tracked
-- schemas, in attnum order, without dropped ones. $1: oid[] of the tracked
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
-- schemas.
--
-- Ordered by type first (the C side finds a type's rows by binary search).
-- collation_name is set only when the attribute's collation differs from
-- its type's, and is qualified unless it lives in pg_catalog (always
-- searched), as for table columns. Comments on attributes are attach.sql's.
SELECT
    ty.oid AS typid,
    quote_ident(a.attname) AS attribute_name,
    format_type(a.atttypid, a.atttypmod) AS type_name,
    CASE
        WHEN a.attcollation = at.typcollation OR a.attcollation = 0 THEN NULL
        WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN quote_ident(co.collname)
        ELSE format('%I.%I', con.nspname, co.collname)
    END AS collation_name
FROM pg_type AS ty
JOIN pg_class AS c ON c.oid = ty.typrelid
JOIN pg_attribute AS a ON a.attrelid = c.oid
JOIN pg_type AS at ON at.oid = a.atttypid
LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
LEFT JOIN pg_namespace AS con ON con.oid = co.collnamespace
WHERE ty.typnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR ty.oid = ANY ($2::oid[]))
    AND ty.typtype = 'c'
    AND c.relkind = 'c'
    AND a.attnum > 0
    AND NOT a.attisdropped
ORDER BY ty.oid, a.attnum;
