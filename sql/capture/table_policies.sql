-- Row level security policies of the tables of the tracked schemas, by
-- name. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- roles is NULL when the policy applies to PUBLIC alone (what CREATE
-- POLICY gives without TO), otherwise the roles sorted by name, PUBLIC
-- spelled so, and the role that ran the history in a conversion (setting
-- ddlsnap.history_user) written CURRENT_USER, as grants write it: its name
-- is the replayer's, not the history's. command is NULL for ALL.
SELECT
    po.polrelid AS relid,
    quote_ident(po.polname) AS policy_name,
    po.polpermissive AS is_permissive,
    CASE po.polcmd
        WHEN 'r' THEN 'SELECT'
        WHEN 'a' THEN 'INSERT'
        WHEN 'w' THEN 'UPDATE'
        WHEN 'd' THEN 'DELETE'
    END AS command,
    CASE
        WHEN po.polroles <> '{0}' THEN (
            SELECT string_agg(r.name, ', ' ORDER BY r.name COLLATE "C")
            FROM (
                SELECT
                    CASE
                        WHEN u.roleid = 0 THEN 'PUBLIC'
                        WHEN pg_get_userbyid(u.roleid) = current_setting('ddlsnap.history_user', true)
                        THEN 'CURRENT_USER'
                        ELSE quote_ident(pg_get_userbyid(u.roleid))
                    END AS name
                FROM unnest(po.polroles) AS u (roleid)
            ) AS r
        )
    END AS roles,
    pg_get_expr(po.polqual, po.polrelid) AS using_expr,
    pg_get_expr(po.polwithcheck, po.polrelid) AS check_expr
FROM pg_policy AS po
JOIN pg_class AS c ON c.oid = po.polrelid
WHERE c.relkind IN ('r', 'p')
    AND c.relnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
ORDER BY po.polrelid, po.polname COLLATE "C";
