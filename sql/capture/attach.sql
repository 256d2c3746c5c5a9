-- The statements that decorate objects rather than create them: comments,
-- privileges that differ from the default, and owners. $1: oid[] of the
-- tracked schemas; $2: oid[] of the objects whose blobs are read again
-- (incremental capture: the objects and their parts), NULL for all.
--
-- One row per statement, filed under the object whose blob holds it
-- (holder_catalog, holder_oid): a column's, constraint's, index's,
-- trigger's, rule's or policy's comment under its relation, an owned
-- sequence's grants under its table, a domain constraint's comment under
-- the domain, the privileges of an extension's member under the extension.
-- section orders them: 1 comments, 2 privileges, 3 owner.
-- about_owner marks what only makes sense when owners are captured
-- (ALTER ... OWNER TO); the C side drops those rows unless --with-owners.
-- Privileges of the owner itself that differ from the default (REVOKE
-- CREATE ON SCHEMA public FROM pg_database_owner) are kept either way, as
-- pg_dump --no-owner keeps them.
--
-- Privileges are the difference between the object's ACL and the ACL a
-- fresh object has (acldefault, or pg_init_privs for what initdb made, such
-- as the public schema), per grantee and privilege; grantors are not kept
-- (every grant is replayed as the checkout's user). Grants come in the
-- order of the ACL's items, since a grant appends its item and pg_dump
-- prints them in that order: a schema granted in another order is another
-- ACL, as PostgreSQL and pg_dump see it.
-- The role that ran the history in a conversion (the setting
-- ddlsnap.history_user, unset elsewhere) is written CURRENT_USER: its name
-- is the replayer's, not the history's.
-- The tracked schemas are tested with = ANY ($1), not joined: a generic plan
-- of a scoped capture would hash all of them (1,000 tenant schemas) in every
-- branch to keep the scope's few rows.
--
-- A branch that starts "UNION ALL -- for: GROUP..." serves only the kinds of
-- those groups (capture.c's, scope.sql's grp); it runs up to the next UNION
-- ALL at its indentation or the first line indented less. A scoped capture
-- runs the query without the branches none of its groups needs (attach.c):
-- a generic plan starts every node of every branch, which cost more than
-- the rows of a scope of one table.
WITH
-- not materialized: each use is an index probe of pg_depend
members AS NOT MATERIALIZED (
    SELECT d.classid, d.objid
    FROM pg_depend AS d
    WHERE d.deptype = 'e'
),
-- relations of the tracked schemas and the object whose blob holds them
rels AS (
    SELECT
        c.oid,
        c.relkind,
        format('%I.%I', n.nspname, c.relname) AS qualified,
        c.relowner,
        c.relacl,
        CASE WHEN c.relkind = 'c' THEN 'pg_type' ELSE 'pg_class' END AS holder_catalog,
        CASE
            WHEN c.relkind IN ('i', 'I') THEN i.indrelid
            WHEN c.relkind = 'c' THEN c.reltype
            ELSE coalesce(owned.refobjid, c.oid)
        END AS holder_oid,
        owned.refobjid IS NOT NULL AS is_owned
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    LEFT JOIN pg_index AS i ON i.indexrelid = c.oid
    LEFT JOIN LATERAL (
        SELECT d.refobjid
        FROM pg_depend AS d
        WHERE c.relkind = 'S'
            AND d.classid = 'pg_class'::regclass
            AND d.objid = c.oid
            AND d.refclassid = 'pg_class'::regclass
            AND d.refobjsubid > 0
            AND d.deptype IN ('a', 'i')
        LIMIT 1
    ) AS owned ON true
    WHERE c.relnamespace = ANY ($1::oid[])
        AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'i', 'I', 'c')
        AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid
        )
),
-- objects that can have comments, grants and owners: the words that name
-- them in COMMENT ON / ALTER (keyword, name) and in GRANT (grant_keyword,
-- NULL when they have no privileges), their ACL and its kind for
-- acldefault(), and whether ALTER ... OWNER TO applies to them
targets (classid, objid, holder_catalog, holder_oid, keyword, name, grant_keyword, acl,
         acl_kind, owner, has_owner) AS (
    -- no row: the columns' types, whichever branches follow
    SELECT NULL::regclass, NULL::oid, NULL::text, NULL::oid, NULL::text, NULL::text,
        NULL::text, NULL::aclitem[], NULL::text, NULL::oid, NULL::bool
    WHERE false
    UNION ALL -- for: schema
    SELECT
        'pg_namespace'::regclass, n.oid, 'pg_namespace', n.oid, 'SCHEMA',
        quote_ident(n.nspname), 'SCHEMA', n.nspacl, 'n', n.nspowner, true
    FROM pg_namespace AS n
    WHERE ($2::oid[] IS NULL OR n.oid = ANY ($2::oid[]))
        AND n.oid = ANY ($1::oid[])
    UNION ALL -- for: table view matview sequence foreign_table type
    SELECT
        'pg_class'::regclass, r.oid, r.holder_catalog, r.holder_oid,
        CASE r.relkind
            WHEN 'v' THEN 'VIEW'
            WHEN 'm' THEN 'MATERIALIZED VIEW'
            WHEN 'f' THEN 'FOREIGN TABLE'
            WHEN 'S' THEN 'SEQUENCE'
            WHEN 'i' THEN 'INDEX'
            WHEN 'I' THEN 'INDEX'
            ELSE 'TABLE'
        END,
        r.qualified,
        CASE WHEN r.relkind IN ('i', 'I') THEN NULL WHEN r.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
        r.relacl,
        CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END,
        r.relowner,
        r.relkind NOT IN ('i', 'I') AND NOT r.is_owned
    FROM rels AS r
    WHERE r.relkind <> 'c'
    UNION ALL -- for: function aggregate
    SELECT
        'pg_proc'::regclass, p.oid, 'pg_proc', p.oid,
        CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
        -- COMMENT ON AGGREGATE a(*) for an aggregate of no arguments
        format('%I.%I(%s)', n.nspname, p.proname,
               CASE WHEN p.prokind = 'a' AND p.pronargs = 0 THEN '*'
                    ELSE pg_get_function_identity_arguments(p.oid) END),
        CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
        p.proacl, 'f', p.proowner, true
    FROM pg_proc AS p
    JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE ($2::oid[] IS NULL OR p.oid = ANY ($2::oid[]))
        AND p.pronamespace = ANY ($1::oid[])
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid
        )
    UNION ALL -- for: type domain
    SELECT
        'pg_type'::regclass, ty.oid, 'pg_type', ty.oid,
        CASE ty.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
        format_type(ty.oid, NULL),
        CASE ty.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
        ty.typacl, 'T', ty.typowner, true
    FROM pg_type AS ty
    LEFT JOIN pg_class AS c ON c.oid = ty.typrelid
    WHERE ty.typnamespace = ANY ($1::oid[])
        AND ty.typtype IN ('b', 'c', 'd', 'e', 'r')
        AND ($2::oid[] IS NULL OR ty.oid = ANY ($2::oid[]))
        AND (ty.typrelid = 0 OR c.relkind = 'c')
        AND NOT EXISTS (SELECT FROM pg_type AS e WHERE e.typarray = ty.oid)
        AND NOT EXISTS (
            SELECT FROM members AS m WHERE m.classid = 'pg_type'::regclass AND m.objid = ty.oid
        )
    UNION ALL -- for: collation
    SELECT
        'pg_collation'::regclass, co.oid, 'pg_collation', co.oid,
        'COLLATION', format('%I.%I', n.nspname, co.collname),
        NULL, NULL, NULL, co.collowner, true
    FROM pg_collation AS co
    JOIN pg_namespace AS n ON n.oid = co.collnamespace
    WHERE ($2::oid[] IS NULL OR co.oid = ANY ($2::oid[]))
        AND co.collnamespace = ANY ($1::oid[])
    UNION ALL -- for: operator
    SELECT
        'pg_operator'::regclass, o.oid, 'pg_operator', o.oid,
        'OPERATOR',
        format('%I.%s (%s, %s)', n.nspname, o.oprname,
               CASE WHEN o.oprleft = 0 THEN 'NONE' ELSE format_type(o.oprleft, NULL) END,
               CASE WHEN o.oprright = 0 THEN 'NONE' ELSE format_type(o.oprright, NULL) END),
        NULL, NULL, NULL, o.oprowner, true
    FROM pg_operator AS o
    JOIN pg_namespace AS n ON n.oid = o.oprnamespace
    WHERE ($2::oid[] IS NULL OR o.oid = ANY ($2::oid[]))
        AND o.oprnamespace = ANY ($1::oid[])
    UNION ALL -- for: opclass
    SELECT
        'pg_opclass'::regclass, oc.oid, 'pg_opclass', oc.oid,
        'OPERATOR CLASS', format('%I.%I USING %I', n.nspname, oc.opcname, am.amname),
        NULL, NULL, NULL, oc.opcowner, true
    FROM pg_opclass AS oc
    JOIN pg_namespace AS n ON n.oid = oc.opcnamespace
    JOIN pg_am AS am ON am.oid = oc.opcmethod
    WHERE ($2::oid[] IS NULL OR oc.oid = ANY ($2::oid[]))
        AND oc.opcnamespace = ANY ($1::oid[])
    UNION ALL -- for: opfamily
    SELECT
        'pg_opfamily'::regclass, ofa.oid, 'pg_opfamily', ofa.oid,
        'OPERATOR FAMILY', format('%I.%I USING %I', n.nspname, ofa.opfname, am.amname),
        NULL, NULL, NULL, ofa.opfowner, true
    FROM pg_opfamily AS ofa
    JOIN pg_namespace AS n ON n.oid = ofa.opfnamespace
    JOIN pg_am AS am ON am.oid = ofa.opfmethod
    WHERE ($2::oid[] IS NULL OR ofa.oid = ANY ($2::oid[]))
        AND ofa.opfnamespace = ANY ($1::oid[])
    UNION ALL -- for: ts_config
    SELECT
        'pg_ts_config'::regclass, ts.oid, 'pg_ts_config', ts.oid,
        'TEXT SEARCH CONFIGURATION', format('%I.%I', n.nspname, ts.cfgname),
        NULL, NULL, NULL, ts.cfgowner, true
    FROM pg_ts_config AS ts
    JOIN pg_namespace AS n ON n.oid = ts.cfgnamespace
    WHERE ($2::oid[] IS NULL OR ts.oid = ANY ($2::oid[]))
        AND ts.cfgnamespace = ANY ($1::oid[])
    UNION ALL -- for: ts_dict
    SELECT
        'pg_ts_dict'::regclass, td.oid, 'pg_ts_dict', td.oid,
        'TEXT SEARCH DICTIONARY', format('%I.%I', n.nspname, td.dictname),
        NULL, NULL, NULL, td.dictowner, true
    FROM pg_ts_dict AS td
    JOIN pg_namespace AS n ON n.oid = td.dictnamespace
    WHERE ($2::oid[] IS NULL OR td.oid = ANY ($2::oid[]))
        AND td.dictnamespace = ANY ($1::oid[])
    UNION ALL -- for: statistics
    SELECT
        'pg_statistic_ext'::regclass, s.oid, 'pg_statistic_ext', s.oid,
        'STATISTICS', format('%I.%I', n.nspname, s.stxname),
        NULL, NULL, NULL, s.stxowner, true
    FROM pg_statistic_ext AS s
    JOIN pg_namespace AS n ON n.oid = s.stxnamespace
    WHERE ($2::oid[] IS NULL OR s.oid = ANY ($2::oid[]))
        AND s.stxnamespace = ANY ($1::oid[])
    UNION ALL -- for: extension
    -- database-wide objects: the kind modules decide which are tracked; a
    -- scoped capture reads a database-wide kind whole, and its scope holds
    -- all of that kind's objects (sql/touched/scope.sql)
    SELECT
        'pg_extension'::regclass, e.oid, 'pg_extension', e.oid,
        'EXTENSION', quote_ident(e.extname), NULL, NULL, NULL, e.extowner, false
    FROM pg_extension AS e
    WHERE $2::oid[] IS NULL OR e.oid = ANY ($2::oid[])
    UNION ALL -- for: event_trigger
    SELECT
        'pg_event_trigger'::regclass, et.oid, 'pg_event_trigger', et.oid,
        'EVENT TRIGGER', quote_ident(et.evtname), NULL, NULL, NULL, et.evtowner, true
    FROM pg_event_trigger AS et
    WHERE $2::oid[] IS NULL OR et.oid = ANY ($2::oid[])
    UNION ALL -- for: publication
    SELECT
        'pg_publication'::regclass, pb.oid, 'pg_publication', pb.oid,
        'PUBLICATION', quote_ident(pb.pubname), NULL, NULL, NULL, pb.pubowner, true
    FROM pg_publication AS pb
    WHERE $2::oid[] IS NULL OR pb.oid = ANY ($2::oid[])
    UNION ALL -- for: foreign_data_wrapper
    SELECT
        'pg_foreign_data_wrapper'::regclass, w.oid, 'pg_foreign_data_wrapper', w.oid,
        'FOREIGN DATA WRAPPER', quote_ident(w.fdwname),
        'FOREIGN DATA WRAPPER', w.fdwacl, 'F', w.fdwowner, true
    FROM pg_foreign_data_wrapper AS w
    WHERE $2::oid[] IS NULL OR w.oid = ANY ($2::oid[])
    UNION ALL -- for: server
    SELECT
        'pg_foreign_server'::regclass, fs.oid, 'pg_foreign_server', fs.oid,
        'SERVER', quote_ident(fs.srvname),
        'FOREIGN SERVER', fs.srvacl, 'S', fs.srvowner, true
    FROM pg_foreign_server AS fs
    WHERE $2::oid[] IS NULL OR fs.oid = ANY ($2::oid[])
    UNION ALL -- for: cast
    SELECT
        'pg_cast'::regclass, ca.oid, 'pg_cast', ca.oid,
        'CAST', format('(%s AS %s)', format_type(ca.castsource, NULL), format_type(ca.casttarget, NULL)),
        NULL, NULL, NULL, NULL, false
    FROM pg_cast AS ca
    WHERE ca.oid >= 16384
        AND ($2::oid[] IS NULL OR ca.oid = ANY ($2::oid[]))
),
-- members of extensions: only their privileges, and only where they changed
-- since the extension's script ran (pg_init_privs holds what it granted);
-- filed under the extension, whose text replays them after CREATE
-- EXTENSION, as pg_dump does. Their comments and owners come with the
-- extension. acl_kind is acldefault()'s code for the object's kind. A NULL
-- ACL was never set, by the script or since: nothing to compare, and most
-- members are skipped before their names are formatted.
member_targets AS (
    SELECT
        d.classid, d.objid, 'pg_extension' AS holder_catalog, d.refobjid AS holder_oid,
        x.grant_keyword, x.name, x.acl, x.acl_kind, x.owner
    FROM pg_depend AS d
    CROSS JOIN LATERAL (
        SELECT
            CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS grant_keyword,
            format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
                AS name,
            p.proacl AS acl, 'f' AS acl_kind, p.proowner AS owner
        FROM pg_proc AS p
        JOIN pg_namespace AS n ON n.oid = p.pronamespace
        WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid AND p.proacl IS NOT NULL
        UNION ALL
        SELECT
            CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
            format('%I.%I', n.nspname, c.relname),
            c.relacl, CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END, c.relowner
        FROM pg_class AS c
        JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE d.classid = 'pg_class'::regclass AND c.oid = d.objid AND c.relacl IS NOT NULL
            AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        UNION ALL
        SELECT
            CASE ty.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
            format_type(ty.oid, NULL), ty.typacl, 'T', ty.typowner
        FROM pg_type AS ty
        WHERE d.classid = 'pg_type'::regclass AND ty.oid = d.objid AND ty.typacl IS NOT NULL
            AND NOT EXISTS (SELECT FROM pg_type AS e WHERE e.typarray = ty.oid)
        UNION ALL
        SELECT 'SCHEMA', quote_ident(n.nspname), n.nspacl, 'n', n.nspowner
        FROM pg_namespace AS n
        WHERE d.classid = 'pg_namespace'::regclass AND n.oid = d.objid AND n.nspacl IS NOT NULL
        UNION ALL
        SELECT 'LANGUAGE', quote_ident(l.lanname), l.lanacl, 'l', l.lanowner
        FROM pg_language AS l
        WHERE d.classid = 'pg_language'::regclass AND l.oid = d.objid AND l.lanacl IS NOT NULL
        UNION ALL
        SELECT 'FOREIGN DATA WRAPPER', quote_ident(w.fdwname), w.fdwacl, 'F', w.fdwowner
        FROM pg_foreign_data_wrapper AS w
        WHERE d.classid = 'pg_foreign_data_wrapper'::regclass AND w.oid = d.objid
            AND w.fdwacl IS NOT NULL
        UNION ALL
        SELECT 'FOREIGN SERVER', quote_ident(fs.srvname), fs.srvacl, 'S', fs.srvowner
        FROM pg_foreign_server AS fs
        WHERE d.classid = 'pg_foreign_server'::regclass AND fs.oid = d.objid
            AND fs.srvacl IS NOT NULL
    ) AS x
    WHERE d.deptype = 'e'
        AND d.refclassid = 'pg_extension'::regclass
        AND ($2::oid[] IS NULL OR d.refobjid = ANY ($2::oid[]))
),
-- parts of relations and domains: comments only
parts (classid, objid, holder_catalog, holder_oid, phrase) AS (
    SELECT NULL::regclass, NULL::oid, NULL::text, NULL::oid, NULL::text
    WHERE false
    UNION ALL -- for: table view matview sequence foreign_table type
    SELECT
        'pg_constraint'::regclass, k.oid, r.holder_catalog, r.holder_oid,
        format('CONSTRAINT %I ON %s', k.conname, r.qualified)
    FROM rels AS r
    JOIN pg_constraint AS k ON k.conrelid = r.oid
    WHERE k.connamespace = ANY ($1::oid[])
    UNION ALL -- for: domain
    -- a domain's (by the conrelid, contypid index)
    SELECT
        'pg_constraint'::regclass, k.oid, 'pg_type', k.contypid,
        format('CONSTRAINT %I ON DOMAIN %s', k.conname, format_type(k.contypid, NULL))
    FROM pg_constraint AS k
    WHERE k.conrelid = 0
        AND k.connamespace = ANY ($1::oid[])
        AND k.contypid <> 0
        AND ($2::oid[] IS NULL OR k.contypid = ANY ($2::oid[]))
    UNION ALL -- for: table view matview sequence foreign_table type
    SELECT 'pg_trigger'::regclass, tg.oid, r.holder_catalog, r.holder_oid,
        format('TRIGGER %I ON %s', tg.tgname, r.qualified)
    FROM pg_trigger AS tg
    JOIN rels AS r ON r.oid = tg.tgrelid
    WHERE NOT tg.tgisinternal
    UNION ALL -- for: table view matview sequence foreign_table type
    SELECT 'pg_policy'::regclass, po.oid, r.holder_catalog, r.holder_oid,
        format('POLICY %I ON %s', po.polname, r.qualified)
    FROM pg_policy AS po
    JOIN rels AS r ON r.oid = po.polrelid
    UNION ALL -- for: table view matview sequence foreign_table type
    SELECT 'pg_rewrite'::regclass, rw.oid, r.holder_catalog, r.holder_oid,
        format('RULE %I ON %s', rw.rulename, r.qualified)
    FROM pg_rewrite AS rw
    JOIN rels AS r ON r.oid = rw.ev_class
    WHERE rw.rulename <> '_RETURN'
),
-- Comments are looked up object by object (LATERAL ... LIMIT, which the
-- planner keeps as a loop over pg_description's index): a join lets the
-- generic plan of a scoped capture hash the whole of pg_description.
comments AS (
    SELECT t.holder_catalog, t.holder_oid,
        format('COMMENT ON %s %s IS %L;', t.keyword, t.name, d.description) AS statement
    FROM targets AS t
    CROSS JOIN LATERAL (
        SELECT pd.description FROM pg_description AS pd
        WHERE pd.objoid = t.objid AND pd.classoid = t.classid AND pd.objsubid = 0
        LIMIT 1
    ) AS d
    UNION ALL
    SELECT p.holder_catalog, p.holder_oid,
        format('COMMENT ON %s IS %L;', p.phrase, d.description)
    FROM parts AS p
    CROSS JOIN LATERAL (
        SELECT pd.description FROM pg_description AS pd
        WHERE pd.objoid = p.objid AND pd.classoid = p.classid AND pd.objsubid = 0
        LIMIT 1
    ) AS d
    UNION ALL -- for: table view matview sequence foreign_table type
    -- columns, of composite types too
    SELECT r.holder_catalog, r.holder_oid,
        format('COMMENT ON COLUMN %s.%I IS %L;', r.qualified, a.attname, d.description)
    FROM rels AS r
    CROSS JOIN LATERAL (
        SELECT pd.description, pd.objsubid FROM pg_description AS pd
        WHERE pd.objoid = r.oid AND pd.classoid = 'pg_class'::regclass AND pd.objsubid > 0
        OFFSET 0
    ) AS d
    JOIN pg_attribute AS a ON a.attrelid = r.oid AND a.attnum = d.objsubid
),
-- per object, grantee and privilege: what to grant or revoke to go from
-- the default ACL to the object's
acl_changes AS (
    SELECT t.holder_catalog, t.holder_oid, t.grant_keyword, t.owner,
        -- GRANT ... ON FUNCTION takes an aggregate's argument types alone,
        -- without ORDER BY or "*"
        CASE WHEN t.keyword = 'AGGREGATE' THEN t.objid::regprocedure::text ELSE t.name END AS name,
        ch.grantee, ch.privilege, ch.action, ch.pos
    FROM (
        SELECT classid, objid, holder_catalog, holder_oid, keyword, grant_keyword, name, acl,
            acl_kind, owner
        FROM targets
        UNION ALL -- for: extension
        SELECT classid, objid, holder_catalog, holder_oid, NULL, grant_keyword, name, acl,
            acl_kind, owner
        FROM member_targets
    ) AS t
    LEFT JOIN pg_init_privs AS ip
        ON ip.classoid = t.classid AND ip.objoid = t.objid AND ip.objsubid = 0
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
            END AS action,
            -- revokes first, then grants in the ACL's own order, which is
            -- what a grant appends to (and what pg_dump prints)
            CASE WHEN now.grantee IS NULL THEN base.pos ELSE 1000000 + now.pos END AS pos
        FROM (
            SELECT e.grantee, e.privilege_type, bool_or(e.is_grantable) AS grantable,
                min(e.pos) AS pos
            FROM aclexplode(t.acl) WITH ORDINALITY AS e(grantor, grantee, privilege_type,
                                                        is_grantable, pos)
            GROUP BY e.grantee, e.privilege_type
        ) AS now
        FULL JOIN (
            SELECT e.grantee, e.privilege_type, bool_or(e.is_grantable) AS grantable,
                min(e.pos) AS pos
            FROM aclexplode(coalesce(ip.initprivs, acldefault(t.acl_kind::"char", t.owner)))
                WITH ORDINALITY AS e(grantor, grantee, privilege_type, is_grantable, pos)
            GROUP BY e.grantee, e.privilege_type
        ) AS base
            ON base.grantee = now.grantee AND base.privilege_type = now.privilege_type
        WHERE now.grantee IS NULL
            OR base.grantee IS NULL
            OR now.grantable <> base.grantable
    ) AS ch
    WHERE t.acl IS NOT NULL
        AND t.grant_keyword IS NOT NULL
),
grants AS (
    SELECT c.holder_catalog, c.holder_oid,
        format(
            CASE c.action
                WHEN 'GRANT' THEN 'GRANT %s ON %s %s TO %s;'
                WHEN 'GRANT+' THEN 'GRANT %s ON %s %s TO %s WITH GRANT OPTION;'
                WHEN 'REVOKE' THEN 'REVOKE %s ON %s %s FROM %s;'
                ELSE 'REVOKE GRANT OPTION FOR %s ON %s %s FROM %s;'
            END,
            string_agg(c.privilege, ', ' ORDER BY c.privilege COLLATE "C"),
            c.grant_keyword, c.name,
            CASE WHEN c.grantee = 0 THEN 'PUBLIC'
                 WHEN pg_get_userbyid(c.grantee) = current_setting('ddlsnap.history_user', true) THEN 'CURRENT_USER'
                 ELSE quote_ident(pg_get_userbyid(c.grantee)) END
        ) AS statement,
        min(c.pos) AS pos
    FROM acl_changes AS c
    GROUP BY c.holder_catalog, c.holder_oid, c.grant_keyword, c.name, c.owner, c.grantee, c.action
    UNION ALL -- for: table view matview sequence foreign_table type
    -- column privileges: a column has none by default
    SELECT r.holder_catalog, r.holder_oid,
        format('GRANT %s ON TABLE %s TO %s%s;',
               string_agg(format('%s (%I)', e.privilege_type, a.attname), ', '
                          ORDER BY e.privilege_type COLLATE "C"),
               r.qualified,
               CASE WHEN e.grantee = 0 THEN 'PUBLIC'
                    WHEN pg_get_userbyid(e.grantee) = current_setting('ddlsnap.history_user', true) THEN 'CURRENT_USER'
                    ELSE quote_ident(pg_get_userbyid(e.grantee)) END,
               CASE WHEN e.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END),
        2000000 + 1000 * min(a.attnum) + min(e.pos)
    FROM rels AS r
    JOIN pg_attribute AS a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    CROSS JOIN LATERAL aclexplode(a.attacl) WITH ORDINALITY
        AS e(grantor, grantee, privilege_type, is_grantable, pos)
    WHERE a.attacl IS NOT NULL
    GROUP BY r.holder_catalog, r.holder_oid, r.qualified, a.attname, e.grantee, e.is_grantable
),
owners AS (
    SELECT t.holder_catalog, t.holder_oid,
        format('ALTER %s %s OWNER TO %I;', t.keyword, t.name, pg_get_userbyid(t.owner)) AS statement
    FROM targets AS t
    WHERE t.has_owner
)
SELECT a.holder_catalog, a.holder_oid, a.section, a.statement, a.about_owner
FROM (
    SELECT holder_catalog, holder_oid, 1 AS section, 0 AS pos, statement, false AS about_owner
    FROM comments
    UNION ALL
    SELECT holder_catalog, holder_oid, 2, pos, statement, false FROM grants
    UNION ALL
    SELECT holder_catalog, holder_oid, 3, 0, statement, true FROM owners
) AS a
ORDER BY a.holder_catalog COLLATE "C", a.holder_oid, a.section, a.pos, a.statement COLLATE "C";
