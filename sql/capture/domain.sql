-- Domains of the tracked schemas, except extension members.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- base_type is the type the domain is over (another domain, possibly) with
-- its modifier. collation_name is set only when the domain's collation
-- differs from its base type's, and is qualified unless it lives in
-- pg_catalog (always searched), as for table columns. The default is the
-- deparsed expression; a default stored only as text (as very old servers
-- did) is quoted as a literal.
SELECT
    ty.oid AS typid,
    n.nspname AS schema_name,
    ty.typname AS domain_name,
    format('%I.%I', n.nspname, ty.typname) AS qualified_name,
    format_type(ty.typbasetype, ty.typtypmod) AS base_type,
    CASE
        WHEN ty.typcollation = bt.typcollation OR ty.typcollation = 0 THEN NULL
        WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN quote_ident(co.collname)
        ELSE format('%I.%I', con.nspname, co.collname)
    END AS collation_name,
    coalesce(pg_get_expr(ty.typdefaultbin, 0), quote_literal(ty.typdefault)) AS default_expr,
    ty.typnotnull AS not_null
FROM pg_type AS ty
JOIN pg_namespace AS n ON n.oid = ty.typnamespace
JOIN pg_type AS bt ON bt.oid = ty.typbasetype
LEFT JOIN pg_collation AS co ON co.oid = ty.typcollation
LEFT JOIN pg_namespace AS con ON con.oid = co.collnamespace
WHERE ty.typtype = 'd'
    AND ty.typnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR ty.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_type'::regclass
            AND d.objid = ty.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", ty.typname COLLATE "C";
