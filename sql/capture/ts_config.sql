-- Text search configurations of the tracked schemas, extension members
-- excepted. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- mappings holds one ADD MAPPING per token type, in the parser's token
-- order, each with its dictionaries in the order they are consulted
-- (mapseqno, which is meaningful); token types without dictionaries have no
-- mapping. Dictionaries are printed as regdictionary does (schema-qualified
-- unless the bare name finds them in pg_catalog).
SELECT
    c.oid AS cfgid,
    n.nspname AS schema_name,
    c.cfgname AS configuration_name,
    format('%I.%I', n.nspname, c.cfgname) AS qualified_name,
    format('%I.%I', pn.nspname, p.prsname) AS parser,
    (
        SELECT string_agg(
            format(E'ALTER TEXT SEARCH CONFIGURATION %I.%I\n    ADD MAPPING FOR %s WITH %s;',
                   n.nspname, c.cfgname, quote_ident(tt.alias), m.dictionaries),
            E'\n' ORDER BY m.maptokentype)
        FROM (
            SELECT cm.maptokentype,
                string_agg(cm.mapdict::regdictionary::text, ', ' ORDER BY cm.mapseqno) AS dictionaries
            FROM pg_ts_config_map AS cm
            WHERE cm.mapcfg = c.oid
            GROUP BY cm.maptokentype
        ) AS m
        JOIN ts_token_type(c.cfgparser) AS tt ON tt.tokid = m.maptokentype
    ) AS mappings
FROM pg_ts_config AS c
JOIN pg_namespace AS n ON n.oid = c.cfgnamespace
JOIN pg_ts_parser AS p ON p.oid = c.cfgparser
JOIN pg_namespace AS pn ON pn.oid = p.prsnamespace
WHERE c.cfgnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_ts_config'::regclass
            AND d.objid = c.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", c.cfgname COLLATE "C";
