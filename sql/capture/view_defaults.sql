-- Column defaults of the views of the tracked schemas (what an INSERT
-- through the view uses), in attnum order. $1: oid[] of the tracked
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
-- schemas.
SELECT
    ad.adrelid AS relid,
    quote_ident(a.attname) AS column_name,
    pg_get_expr(ad.adbin, ad.adrelid) AS default_expr
FROM pg_attrdef AS ad
JOIN pg_attribute AS a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
JOIN pg_class AS c ON c.oid = ad.adrelid
WHERE c.relkind = 'v'
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
ORDER BY ad.adrelid, a.attnum;
