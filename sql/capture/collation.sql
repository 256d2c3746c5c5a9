-- Collations of the tracked schemas, except extension members.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Where the locale is kept moved between versions (PostgreSQL 15 keeps an
-- ICU collation's locale in colliculocale, 16 adds collicurules, 17 renames
-- colliculocale to colllocale), so those columns are read by name from
-- to_jsonb() of the row, which gives NULL rather than an error for a
-- column this server does not have.
--
-- The locale strings come quoted as SQL literals, ready for the text.
--
-- collversion is never read: it is the version of the collation library
-- (glibc, ICU) the collation was created with, which changes when the
-- operating system is upgraded, not when the schema does.
SELECT
    co.oid AS collid,
    n.nspname AS schema_name,
    co.collname AS coll_name,
    format('%I.%I', n.nspname, co.collname) AS qualified_name,
    CASE co.collprovider
        WHEN 'c' THEN 'libc'
        WHEN 'i' THEN 'icu'
        WHEN 'b' THEN 'builtin'
        ELSE co.collprovider::text
    END AS provider,
    co.collisdeterministic AS is_deterministic,
    quote_literal(coalesce(j.row ->> 'colllocale', j.row ->> 'colliculocale')) AS locale,
    quote_literal(co.collcollate) AS lc_collate,
    quote_literal(co.collctype) AS lc_ctype,
    quote_literal(j.row ->> 'collicurules') AS icu_rules
FROM pg_collation AS co
JOIN pg_namespace AS n ON n.oid = co.collnamespace
CROSS JOIN LATERAL (SELECT to_jsonb(co) AS row) AS j
WHERE co.collnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR co.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_collation'::regclass
            AND d.objid = co.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", co.collname COLLATE "C";
