-- The schemas ddlsnap tracks, as one oid[] literal ("{2200,16390}") that
-- every other capture query takes as $1.
--
-- Not tracked: the system schemas, pgGit's own schemas and schemas that an
-- extension created (they come and go with the extension).
SELECT coalesce(array_agg(n.oid ORDER BY n.oid), '{}')::text AS oids
FROM pg_namespace AS n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pggit', 'pggit_v2', 'pggit_audit', '_ddlsnap')
    AND n.nspname !~ '^pg_toast'
    AND n.nspname !~ '^pg_temp'
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_namespace'::regclass
            AND d.objid = n.oid
            AND d.deptype = 'e'
    )
ORDER BY 1;
