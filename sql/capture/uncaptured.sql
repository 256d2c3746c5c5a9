-- Everything of the tracked schemas (and everything database-wide) that
-- ddlsnap does not capture yet, so the caller can warn about it instead of
-- dropping it silently. $1: oid[] of the tracked schemas.
--
-- One row per object: schema_name (NULL for database-wide objects), a
-- readable kind and the object's unquoted name. Objects that belong to an
-- extension, pgGit's own schemas and what serves them (its event triggers)
-- are left out, as are things PostgreSQL creates implicitly: row types of
-- relations, array and multirange types, internal triggers, the _RETURN rule
-- of views, indexes and sequences that belong to a listed relation.
-- Comments and privileges are captured with the object that holds them
-- (attach.sql), so those of an object listed here are skipped with it.
-- 16384 is FirstNormalObjectId: objects below it were created by initdb.
WITH tracked AS (
    SELECT n.oid, n.nspname
    FROM pg_namespace AS n
    WHERE n.oid = ANY ($1::oid[])
),
members AS (
    SELECT d.classid, d.objid
    FROM pg_depend AS d
    WHERE d.deptype = 'e'
),
-- relations of the tracked schemas that are not extension members
rels AS (
    SELECT
        c.oid,
        c.relname,
        c.relkind,
        c.relispartition,
        c.relkind IN ('r', 'p') AS is_captured_table,
        c.relkind = 'f' AND NOT c.relispartition AS is_captured_foreign_table,
        t.nspname
    FROM pg_class AS c
    JOIN tracked AS t ON t.oid = c.relnamespace
    WHERE NOT EXISTS (
        SELECT
        FROM members AS m
        WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid
    )
),
skipped AS (
    -- base types and shell types; enum, composite and range types and
    -- domains are captured (type.sql, domain.sql). A base type's input and
    -- output functions are C code in a shared library, which a snapshot
    -- cannot carry, and a shell type (CREATE TYPE name;) is a placeholder
    -- that only a later CREATE TYPE completes. Their array types go with
    -- them.
    SELECT
        t.nspname AS schema_name,
        CASE WHEN ty.typisdefined THEN 'base type' ELSE 'shell type' END AS kind,
        ty.typname::text AS object_name
    FROM pg_type AS ty
    JOIN tracked AS t ON t.oid = ty.typnamespace
    WHERE ty.typtype IN ('b', 'p')
        AND NOT EXISTS (SELECT FROM pg_type AS e WHERE e.typarray = ty.oid)
        AND NOT EXISTS (
            SELECT
            FROM members AS m
            WHERE m.classid = 'pg_type'::regclass AND m.objid = ty.oid
        )

    UNION ALL
    SELECT
        r.nspname,
        'foreign table partition',
        r.relname
    FROM rels AS r
    WHERE r.relkind = 'f'
        AND r.relispartition

    -- sequences owned by a column of a relation not captured yet (a foreign
    -- table...); those of captured tables are in the table's text
    UNION ALL
    SELECT t.nspname, 'sequence', c.relname
    FROM pg_class AS c
    JOIN tracked AS t ON t.oid = c.relnamespace
    JOIN pg_depend AS d
        ON d.classid = 'pg_class'::regclass
        AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass
        AND d.refobjsubid > 0
        AND d.deptype = 'a'
    LEFT JOIN rels AS r ON r.oid = d.refobjid
    WHERE c.relkind = 'S'
        AND NOT coalesce(r.is_captured_table OR r.is_captured_foreign_table, false)
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid
        )

    -- a captured foreign table is written without its parents
    UNION ALL
    SELECT r.nspname, 'inheritance', r.relname
    FROM rels AS r
    WHERE r.is_captured_foreign_table
        AND EXISTS (SELECT FROM pg_inherits AS i WHERE i.inhrelid = r.oid)

    -- tablespaces of captured tables and of their indexes: a tablespace
    -- belongs to the cluster, not to the schema (a checkout cannot assume
    -- the target cluster has it), so a table is written without it
    UNION ALL
    SELECT r.nspname, 'table setting', r.relname || ' (' || s.setting || ')'
    FROM rels AS r
    JOIN pg_class AS c ON c.oid = r.oid
    CROSS JOIN LATERAL (
        SELECT 'tablespace' AS setting
        WHERE c.reltablespace <> 0
        UNION ALL
        SELECT 'tablespace of index ' || ic.relname
        FROM pg_index AS i
        JOIN pg_class AS ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid
            AND ic.reltablespace <> 0
    ) AS s
    WHERE r.is_captured_table

    -- settings of foreign tables' columns not rendered yet
    UNION ALL
    SELECT r.nspname, 'foreign table setting', r.relname || '.' || a.attname || ' (' || s.setting || ')'
    FROM rels AS r
    JOIN pg_attribute AS a ON a.attrelid = r.oid
    JOIN pg_type AS ty ON ty.oid = a.atttypid
    CROSS JOIN LATERAL (
        SELECT 'statistics target' AS setting
        WHERE a.attstattarget >= 0
        UNION ALL
        SELECT 'storage'
        WHERE a.attstorage <> ty.typstorage
        UNION ALL
        SELECT 'compression'
        WHERE a.attcompression <> ''
        UNION ALL
        SELECT 'options'
        WHERE a.attoptions IS NOT NULL
    ) AS s
    WHERE r.is_captured_foreign_table
        AND a.attnum > 0
        AND NOT a.attisdropped

    -- tablespaces of materialized views and of their indexes
    UNION ALL
    SELECT r.nspname, 'materialized view setting', r.relname || ' (' || s.setting || ')'
    FROM rels AS r
    JOIN pg_class AS c ON c.oid = r.oid
    CROSS JOIN LATERAL (
        SELECT 'tablespace' AS setting
        WHERE c.reltablespace <> 0
        UNION ALL
        SELECT 'tablespace of index ' || ic.relname
        FROM pg_index AS i
        JOIN pg_class AS ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid
            AND ic.reltablespace <> 0
    ) AS s
    WHERE r.relkind = 'm'

    -- triggers, rules and policies of relations of the kinds captured
    -- elsewhere or not at all (foreign tables...); those of tables and
    -- views are in their relation's text
    UNION ALL
    SELECT r.nspname, 'trigger', r.relname || '.' || tg.tgname
    FROM rels AS r
    JOIN pg_trigger AS tg ON tg.tgrelid = r.oid
    WHERE NOT tg.tgisinternal
        AND r.relkind NOT IN ('r', 'p', 'v')

    UNION ALL
    SELECT r.nspname, 'rule', r.relname || '.' || rw.rulename
    FROM rels AS r
    JOIN pg_rewrite AS rw ON rw.ev_class = r.oid
    WHERE rw.rulename <> '_RETURN'
        AND r.relkind NOT IN ('r', 'p', 'v')

    UNION ALL
    SELECT r.nspname, 'policy', r.relname || '.' || po.polname
    FROM rels AS r
    JOIN pg_policy AS po ON po.polrelid = r.oid
    WHERE r.relkind NOT IN ('r', 'p')

    UNION ALL
    SELECT t.nspname, 'conversion', cv.conname
    FROM pg_conversion AS cv
    JOIN tracked AS t ON t.oid = cv.connamespace
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_conversion'::regclass AND m.objid = cv.oid
    )

    -- parsers and templates are made of C functions, which a snapshot
    -- cannot carry
    UNION ALL
    SELECT t.nspname, 'text search parser', ts.prsname
    FROM pg_ts_parser AS ts
    JOIN tracked AS t ON t.oid = ts.prsnamespace
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_ts_parser'::regclass AND m.objid = ts.oid
    )

    UNION ALL
    SELECT t.nspname, 'text search template', ts.tmplname
    FROM pg_ts_template AS ts
    JOIN tracked AS t ON t.oid = ts.tmplnamespace
    WHERE NOT EXISTS (
        SELECT
        FROM members AS m
        WHERE m.classid = 'pg_ts_template'::regclass AND m.objid = ts.oid
    )

    -- database-wide objects
    UNION ALL
    SELECT NULL, 'subscription', su.subname
    FROM pg_subscription AS su
    WHERE su.subdbid = (SELECT d.oid FROM pg_database AS d WHERE d.datname = current_database())

    -- user mappings are never captured: their options hold passwords, which
    -- must not end up in a snapshot's git history; the warning tells the
    -- user to recreate them by hand after a checkout
    UNION ALL
    SELECT NULL, 'user mapping', um.usename || ' on ' || um.srvname
    FROM pg_user_mappings AS um

    -- casts are captured when their types and function are built in or of
    -- tracked schemas (cast.sql); pgGit's are never
    UNION ALL
    SELECT NULL, 'cast', format_type(ca.castsource, NULL) || ' AS ' || format_type(ca.casttarget, NULL)
    FROM pg_cast AS ca
    CROSS JOIN LATERAL (
        SELECT array_agg(x.nsp) AS nsps
        FROM (
            SELECT ty.typnamespace AS nsp
            FROM pg_type AS ty
            WHERE ty.oid IN (ca.castsource, ca.casttarget)
            UNION ALL
            SELECT p.pronamespace FROM pg_proc AS p WHERE p.oid = ca.castfunc
        ) AS x
    ) AS dep
    WHERE ca.oid >= 16384
        AND NOT dep.nsps <@ (
            SELECT array_agg(t.oid) || 'pg_catalog'::regnamespace::oid FROM tracked AS t
        )
        AND NOT EXISTS (
            SELECT
            FROM pg_namespace AS n
            WHERE n.oid = ANY (dep.nsps)
                AND n.nspname IN ('pggit', 'pggit_v2', 'pggit_audit', '_ddlsnap')
        )
        AND NOT EXISTS (
            SELECT
            FROM pg_depend AS d
            WHERE d.classid = 'pg_cast'::regclass
                AND d.objid = ca.oid
                AND d.deptype IN ('e', 'i')
        )
        -- the cast from a range type to its multirange type comes with the
        -- range type (an internal dependency)
        AND NOT EXISTS (
            SELECT
            FROM pg_depend AS d
            WHERE d.classid = 'pg_cast'::regclass AND d.objid = ca.oid AND d.deptype = 'i'
        )

    UNION ALL
    SELECT NULL, 'language', l.lanname
    FROM pg_language AS l
    WHERE l.oid >= 16384
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_language'::regclass AND m.objid = l.oid
        )

    UNION ALL
    SELECT NULL, 'transform',
        'for ' || format_type(tr.trftype, NULL) || ' language ' || l.lanname
    FROM pg_transform AS tr
    JOIN pg_language AS l ON l.oid = tr.trflang
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_transform'::regclass AND m.objid = tr.oid
    )

    UNION ALL
    SELECT NULL, 'access method', am.amname
    FROM pg_am AS am
    WHERE am.oid >= 16384
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_am'::regclass AND m.objid = am.oid
        )
)
SELECT s.schema_name, s.kind, s.object_name
FROM skipped AS s
ORDER BY s.schema_name COLLATE "C" NULLS LAST, s.kind COLLATE "C", s.object_name COLLATE "C";
