-- Triggers of the tables and views of the tracked schemas, by name.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Internal triggers (those of foreign keys, deferrable constraints...) are
-- made by what they serve. A trigger a partition has from its partitioned
-- parent (tgparentid) is made by the parent's CREATE TRIGGER, which clones
-- itself onto every partition, present or attached later: enabled when the
-- parent's CREATE TRIGGER makes it, in the parent's state of the moment
-- when ATTACH PARTITION does. So a clone is listed, without a definition,
-- for its state to be said, unless both it and its parent are in the
-- default state ('O'). definition is pg_get_triggerdef()'s, a whole CREATE
-- [CONSTRAINT] TRIGGER statement without the semicolon.
SELECT
    tg.tgrelid AS relid,
    quote_ident(tg.tgname) AS trigger_name,
    CASE WHEN tg.tgparentid = 0 THEN pg_get_triggerdef(tg.oid) END AS definition,
    tg.tgenabled AS enabled
FROM pg_trigger AS tg
JOIN pg_class AS c ON c.oid = tg.tgrelid
LEFT JOIN pg_trigger AS parent ON parent.oid = tg.tgparentid
WHERE c.relkind IN ('r', 'p', 'v')
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND NOT tg.tgisinternal
    AND (tg.tgparentid = 0 OR tg.tgenabled <> 'O' OR parent.tgenabled <> 'O')
ORDER BY tg.tgrelid, tg.tgname COLLATE "C";
