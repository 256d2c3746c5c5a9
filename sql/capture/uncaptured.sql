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
        c.relkind IN ('r', 'p') AS is_captured_table,
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
    -- types: not row types of relations (but composite types), not arrays
    SELECT
        t.nspname AS schema_name,
        CASE ty.typtype WHEN 'd' THEN 'domain' ELSE 'type' END AS kind,
        ty.typname::text AS object_name
    FROM pg_type AS ty
    JOIN tracked AS t ON t.oid = ty.typnamespace
    LEFT JOIN pg_class AS c ON c.oid = ty.typrelid
    WHERE ty.typtype IN ('b', 'c', 'd', 'e', 'p', 'r')
        AND (ty.typrelid = 0 OR c.relkind = 'c')
        AND NOT EXISTS (SELECT FROM pg_type AS e WHERE e.typarray = ty.oid)
        AND NOT EXISTS (
            SELECT
            FROM members AS m
            WHERE m.classid = 'pg_type'::regclass AND m.objid = ty.oid
        )

    UNION ALL
    SELECT
        r.nspname,
        CASE WHEN r.relkind = 'm' THEN 'materialized view' ELSE 'foreign table' END,
        r.relname
    FROM rels AS r
    WHERE r.relkind IN ('m', 'f')

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
        AND NOT coalesce(r.is_captured_table, false)
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid
        )

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
    SELECT t.nspname, 'aggregate',
        p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
    FROM pg_proc AS p
    JOIN tracked AS t ON t.oid = p.pronamespace
    WHERE p.prokind = 'a'
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid
        )

    UNION ALL
    SELECT t.nspname, 'operator',
        o.oprname || '(' || coalesce(format_type(nullif(o.oprleft, 0), NULL), 'NONE') || ', '
            || format_type(o.oprright, NULL) || ')'
    FROM pg_operator AS o
    JOIN tracked AS t ON t.oid = o.oprnamespace
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_operator'::regclass AND m.objid = o.oid
    )

    UNION ALL
    SELECT t.nspname, 'operator class', oc.opcname || ' USING ' || am.amname
    FROM pg_opclass AS oc
    JOIN tracked AS t ON t.oid = oc.opcnamespace
    JOIN pg_am AS am ON am.oid = oc.opcmethod
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_opclass'::regclass AND m.objid = oc.oid
    )

    UNION ALL
    SELECT t.nspname, 'operator family', ofa.opfname || ' USING ' || am.amname
    FROM pg_opfamily AS ofa
    JOIN tracked AS t ON t.oid = ofa.opfnamespace
    JOIN pg_am AS am ON am.oid = ofa.opfmethod
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_opfamily'::regclass AND m.objid = ofa.oid
    )

    UNION ALL
    SELECT t.nspname, 'collation', co.collname
    FROM pg_collation AS co
    JOIN tracked AS t ON t.oid = co.collnamespace
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_collation'::regclass AND m.objid = co.oid
    )

    UNION ALL
    SELECT t.nspname, 'conversion', cv.conname
    FROM pg_conversion AS cv
    JOIN tracked AS t ON t.oid = cv.connamespace
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_conversion'::regclass AND m.objid = cv.oid
    )

    UNION ALL
    SELECT t.nspname, 'statistics', st.stxname
    FROM pg_statistic_ext AS st
    JOIN tracked AS t ON t.oid = st.stxnamespace
    WHERE NOT EXISTS (
        SELECT
        FROM members AS m
        WHERE m.classid = 'pg_statistic_ext'::regclass AND m.objid = st.oid
    )

    UNION ALL
    SELECT t.nspname, 'text search configuration', ts.cfgname
    FROM pg_ts_config AS ts
    JOIN tracked AS t ON t.oid = ts.cfgnamespace
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_ts_config'::regclass AND m.objid = ts.oid
    )

    UNION ALL
    SELECT t.nspname, 'text search dictionary', ts.dictname
    FROM pg_ts_dict AS ts
    JOIN tracked AS t ON t.oid = ts.dictnamespace
    WHERE NOT EXISTS (
        SELECT FROM members AS m WHERE m.classid = 'pg_ts_dict'::regclass AND m.objid = ts.oid
    )

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

    UNION ALL
    SELECT t.nspname, 'default privileges',
        'for role ' || pg_get_userbyid(da.defaclrole) || ' on '
            || CASE da.defaclobjtype
                WHEN 'r' THEN 'tables'
                WHEN 'S' THEN 'sequences'
                WHEN 'f' THEN 'functions'
                WHEN 'T' THEN 'types'
                WHEN 'n' THEN 'schemas'
                ELSE da.defaclobjtype::text
            END
    FROM pg_default_acl AS da
    LEFT JOIN tracked AS t ON t.oid = da.defaclnamespace
    WHERE da.defaclnamespace = 0 OR t.oid IS NOT NULL

    -- database-wide objects
    UNION ALL
    SELECT NULL, 'extension', e.extname
    FROM pg_extension AS e
    JOIN pg_namespace AS n ON n.oid = e.extnamespace
    WHERE e.oid >= 16384
        AND n.nspname NOT IN ('pggit', 'pggit_v2', 'pggit_audit')

    UNION ALL
    SELECT NULL, 'event trigger', et.evtname
    FROM pg_event_trigger AS et
    JOIN pg_proc AS p ON p.oid = et.evtfoid
    JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pggit', 'pggit_v2', 'pggit_audit')
        AND NOT EXISTS (
            SELECT
            FROM members AS m
            WHERE m.classid = 'pg_event_trigger'::regclass AND m.objid = et.oid
        )

    UNION ALL
    SELECT NULL, 'publication', pu.pubname
    FROM pg_publication AS pu

    UNION ALL
    SELECT NULL, 'subscription', su.subname
    FROM pg_subscription AS su
    WHERE su.subdbid = (SELECT d.oid FROM pg_database AS d WHERE d.datname = current_database())

    UNION ALL
    SELECT NULL, 'foreign data wrapper', w.fdwname
    FROM pg_foreign_data_wrapper AS w
    WHERE NOT EXISTS (
        SELECT
        FROM members AS m
        WHERE m.classid = 'pg_foreign_data_wrapper'::regclass AND m.objid = w.oid
    )

    UNION ALL
    SELECT NULL, 'server', s.srvname
    FROM pg_foreign_server AS s
    WHERE NOT EXISTS (
        SELECT
        FROM members AS m
        WHERE m.classid = 'pg_foreign_server'::regclass AND m.objid = s.oid
    )

    UNION ALL
    SELECT NULL, 'user mapping', um.usename || ' on ' || um.srvname
    FROM pg_user_mappings AS um

    UNION ALL
    SELECT NULL, 'cast',
        '(' || format_type(ca.castsource, NULL) || ' AS '
            || format_type(ca.casttarget, NULL) || ')'
    FROM pg_cast AS ca
    WHERE ca.oid >= 16384
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_cast'::regclass AND m.objid = ca.oid
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
