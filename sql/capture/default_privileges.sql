-- Default privileges (ALTER DEFAULT PRIVILEGES), one row per entry of
-- pg_default_acl: database-wide ones (schema_name NULL) and those of the
-- tracked schemas. $1: oid[] of the tracked schemas.
--
-- statements holds the GRANTs and REVOKEs, one per line, sorted, that turn
-- the starting point into the entry's ACL, per grantee and privilege, as
-- attach.sql does for objects. The starting point is PostgreSQL's own: a
-- database-wide entry replaces the built-in default of its object type
-- (acldefault(), whose code for sequences is 's' where pg_default_acl says
-- 'S'), so it is written as the difference from that default and may
-- REVOKE; an entry for a schema only adds to it, so it is all GRANTs.
-- Grantors are not kept (always the role the entry is for). In a
-- conversion, the role that ran the history (setting ddlsnap.history_user)
-- is the history's own user: its entries have no FOR ROLE, are named
-- "CURRENT_USER on ...", and it is CURRENT_USER as a grantee, so the text
-- does not depend on the name of the run's replay role.
WITH tracked AS (
    SELECT unnest($1::oid[]) AS oid
),
entries AS (
    SELECT
        da.oid,
        da.defaclrole AS role_oid,
        n.nspname AS schema_name,
        CASE da.defaclobjtype
            WHEN 'r' THEN 'TABLES'
            WHEN 'S' THEN 'SEQUENCES'
            WHEN 'f' THEN 'FUNCTIONS'
            WHEN 'T' THEN 'TYPES'
            WHEN 'n' THEN 'SCHEMAS'
        END AS objects,
        CASE
            -- the role that ran the history in a conversion: the history's own user
            WHEN pg_get_userbyid(da.defaclrole) = current_setting('ddlsnap.history_user', true) THEN 'ALTER DEFAULT PRIVILEGES'
            ELSE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I', pg_get_userbyid(da.defaclrole))
        END
            || CASE WHEN n.oid IS NULL THEN '' ELSE ' IN SCHEMA ' || quote_ident(n.nspname) END
            AS prefix,
        da.defaclacl AS acl,
        CASE
            WHEN da.defaclnamespace = 0 THEN
                acldefault(
                    CASE da.defaclobjtype WHEN 'S' THEN 's' ELSE da.defaclobjtype END,
                    da.defaclrole)
            -- nothing (aclexplode() refuses an empty array)
            ELSE NULL
        END AS base
    FROM pg_default_acl AS da
    LEFT JOIN tracked AS t ON t.oid = da.defaclnamespace
    LEFT JOIN pg_namespace AS n ON n.oid = t.oid
    WHERE da.defaclnamespace = 0 OR t.oid IS NOT NULL
),
changes AS (
    SELECT e.oid, ch.grantee, ch.action, ch.privilege
    FROM entries AS e
    CROSS JOIN LATERAL (
        SELECT
            coalesce(now.grantee, base.grantee) AS grantee,
            coalesce(now.privilege_type, base.privilege_type) AS privilege,
            CASE
                WHEN base.grantee IS NULL AND now.grantable THEN 'GRANT+'
                WHEN base.grantee IS NULL THEN 'GRANT'
                WHEN now.grantee IS NULL THEN 'REVOKE'
                WHEN now.grantable THEN 'GRANT+'
                ELSE 'REVOKE GRANT OPTION FOR'
            END AS action
        FROM (
            SELECT x.grantee, x.privilege_type, bool_or(x.is_grantable) AS grantable
            FROM aclexplode(e.acl) AS x
            GROUP BY x.grantee, x.privilege_type
        ) AS now
        FULL JOIN (
            SELECT x.grantee, x.privilege_type, bool_or(x.is_grantable) AS grantable
            FROM aclexplode(e.base) AS x
            GROUP BY x.grantee, x.privilege_type
        ) AS base
            ON base.grantee = now.grantee AND base.privilege_type = now.privilege_type
        WHERE now.grantee IS NULL
            OR base.grantee IS NULL
            OR now.grantable <> base.grantable
    ) AS ch
),
statements AS (
    SELECT
        c.oid,
        format(
            CASE c.action
                WHEN 'GRANT' THEN '%s GRANT %s ON %s TO %s;'
                WHEN 'GRANT+' THEN '%s GRANT %s ON %s TO %s WITH GRANT OPTION;'
                WHEN 'REVOKE' THEN '%s REVOKE %s ON %s FROM %s;'
                ELSE '%s REVOKE GRANT OPTION FOR %s ON %s FROM %s;'
            END,
            e.prefix,
            string_agg(c.privilege, ', ' ORDER BY c.privilege COLLATE "C"),
            e.objects,
            CASE WHEN c.grantee = 0 THEN 'PUBLIC'
                 WHEN pg_get_userbyid(c.grantee) = current_setting('ddlsnap.history_user', true) THEN 'CURRENT_USER'
                 ELSE quote_ident(pg_get_userbyid(c.grantee)) END
        ) AS statement
    FROM changes AS c
    JOIN entries AS e ON e.oid = c.oid
    GROUP BY c.oid, e.prefix, e.objects, c.grantee, c.action
)
SELECT
    e.oid AS entry_oid,
    e.schema_name,
    CASE WHEN pg_get_userbyid(e.role_oid) = current_setting('ddlsnap.history_user', true) THEN 'CURRENT_USER'
         ELSE pg_get_userbyid(e.role_oid) END || ' on ' || lower(e.objects) AS entry_name,
    (
        SELECT string_agg(s.statement || E'\n', '' ORDER BY s.statement COLLATE "C")
        FROM statements AS s
        WHERE s.oid = e.oid
    ) AS statements
FROM entries AS e
ORDER BY e.schema_name COLLATE "C" NULLS FIRST, pg_get_userbyid(e.role_oid) COLLATE "C", e.objects;
