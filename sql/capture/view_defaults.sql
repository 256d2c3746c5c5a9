-- Column defaults of the views of the tracked schemas (what an INSERT
-- through the view uses), in attnum order. $1: oid[] of the tracked
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
ORDER BY ad.adrelid, a.attnum;
