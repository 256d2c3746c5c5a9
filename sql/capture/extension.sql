-- Extensions created by the user (database-wide). $1: oid[] of the tracked
-- schemas.
--
-- 16384 is FirstNormalObjectId: plpgsql, which initdb installs, is below it
-- and never captured (pg_dump makes the same cut). An extension is captured
-- when its schema is tracked, is pg_catalog (extensions that must live
-- there, such as adminpack) or was created by the extension itself; so
-- extensions in pgGit's schemas, which are never tracked, are pgGit's own
-- and left out. The members of an extension are never captured: CREATE
-- EXTENSION makes them.
--
-- CREATE EXTENSION comments the extension with its control file's comment;
-- drop_comment says that this comment was removed since, which the
-- extension's text must then say too (its other comments come from
-- attach.sql).
SELECT
    e.oid AS ext_oid,
    e.extname AS ext_name,
    quote_ident(e.extname) AS quoted_name,
    quote_ident(n.nspname) AS schema_name,
    quote_literal(e.extversion) AS version,
    -- the control files are read (a few milliseconds) only for an
    -- extension without a comment, which is rare
    CASE
        WHEN obj_description(e.oid, 'pg_extension') IS NOT NULL THEN false
        ELSE EXISTS (
            SELECT
            FROM pg_available_extension_versions AS v
            WHERE v.name = e.extname
                AND v.version = e.extversion
                AND v.comment IS NOT NULL
        )
    END AS drop_comment
FROM pg_extension AS e
JOIN pg_namespace AS n ON n.oid = e.extnamespace
WHERE e.oid >= 16384
    AND (
        e.extnamespace = ANY ($1::oid[])
        OR n.nspname = 'pg_catalog'
        OR EXISTS (
            SELECT
            FROM pg_depend AS d
            WHERE d.classid = 'pg_namespace'::regclass
                AND d.objid = e.extnamespace
                AND d.refclassid = 'pg_extension'::regclass
                AND d.refobjid = e.oid
                AND d.deptype = 'e'
        )
    )
ORDER BY e.extname COLLATE "C";
