-- Rules of the tables and views of the tracked schemas, by name, except
-- the _RETURN rule that makes a view (its CREATE VIEW says it).
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- definition is pg_get_ruledef()'s, a whole CREATE RULE statement ending
-- in a semicolon; enabled is pg_rewrite.ev_enabled.
SELECT
    rw.ev_class AS relid,
    quote_ident(rw.rulename) AS rule_name,
    pg_get_ruledef(rw.oid) AS definition,
    rw.ev_enabled AS enabled
FROM pg_rewrite AS rw
JOIN pg_class AS c ON c.oid = rw.ev_class
WHERE c.relkind IN ('r', 'p', 'v')
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND rw.rulename <> '_RETURN'
ORDER BY rw.ev_class, rw.rulename COLLATE "C";
