-- Indexes of the ordinary tables of the tracked schemas that do not back a
-- constraint (those come with their PRIMARY KEY, UNIQUE or EXCLUDE clause),
-- by name. $1: oid[] of the tracked schemas.
SELECT
    i.indrelid AS relid,
    pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index AS i
JOIN pg_class AS c ON c.oid = i.indrelid
JOIN pg_class AS ic ON ic.oid = i.indexrelid
WHERE c.relkind = 'r'
    AND NOT c.relispartition
    AND c.relnamespace = ANY ($1::oid[])
    AND NOT EXISTS (
        SELECT
        FROM pg_constraint AS co
        WHERE co.conrelid = i.indrelid
            AND co.conindid = i.indexrelid
            AND co.contype IN ('p', 'u', 'x')
    )
ORDER BY i.indrelid, ic.relname COLLATE "C";
