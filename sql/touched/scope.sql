-- The objects whose text a change may have changed, as capture reads them:
-- what the change touched, everything whose definition depends on that
-- (pg_depend, transitively: views on views, a renamed type's columns and
-- functions, foreign keys to a renamed table...), each mapped to the
-- object whose blob holds it (an index to its table, a view's rule to the
-- view, a column default to its table).
--
-- $1, $2: classids and objids (parallel oid[]) of the touched objects,
-- with the holders ddlsnap remembers for dropped parts (the catalogs no
-- longer know them).
--
-- Rows:
--   grp     the capture kind that reads the holder ("table", "view",
--           "function"...; "other" for kinds not captured), or "part"
--   oid     the holder, or a part of one (an index, an owned sequence, a
--           constraint, trigger, policy, rule, default, a composite type's
--           relation): parts are read again with their holder (comments,
--           grants) and remembered for when they are dropped
--   holder_classid, holder_oid   the holder (for a holder: itself)
-- and "child" rows: a partition or inheritance child (oid) of a holder
-- (holder_oid), read again whenever its parent is touched (a DETACH
-- changes the child's text and leaves no trace in the catalogs).
WITH RECURSIVE
walk (classid, objid) AS (
    SELECT s.classid, s.objid
    FROM unnest($1::oid[], $2::oid[]) AS s (classid, objid)
    UNION
    SELECT x.classid, x.objid
    FROM walk AS w
    CROSS JOIN LATERAL (
        SELECT d.classid, d.objid
        FROM pg_depend AS d
        WHERE d.refclassid = w.classid
            AND d.refobjid = w.objid
            AND d.deptype IN ('n', 'a', 'i', 'P', 'S')
        UNION ALL
        -- a view's rule stands for the view: what depends on the view
        -- depends on its relation, not on the rule
        SELECT 'pg_class'::regclass, r.ev_class
        FROM pg_rewrite AS r
        WHERE w.classid = 'pg_rewrite'::regclass
            AND r.oid = w.objid
    ) AS x
),
-- each object to the object whose blob holds it
held (classid, objid) AS (
    SELECT h.classid, h.objid
    FROM walk AS w
    CROSS JOIN LATERAL (
        SELECT
            CASE
                WHEN c.relkind IN ('i', 'I') THEN 'pg_class'::regclass
                WHEN c.relkind = 'c' THEN 'pg_type'::regclass
                ELSE 'pg_class'::regclass
            END,
            CASE
                WHEN c.relkind IN ('i', 'I') THEN i.indrelid
                WHEN c.relkind = 'c' THEN c.reltype
                ELSE c.oid
            END
        FROM pg_class AS c
        LEFT JOIN pg_index AS i ON i.indexrelid = c.oid
        WHERE w.classid = 'pg_class'::regclass
            AND c.oid = w.objid
            AND c.relkind <> 't'
        UNION ALL
        -- a sequence owned by a column is written in its table's text
        SELECT 'pg_class'::regclass, d.refobjid
        FROM pg_depend AS d
        WHERE w.classid = 'pg_class'::regclass
            AND d.classid = 'pg_class'::regclass
            AND d.objid = w.objid
            AND d.refclassid = 'pg_class'::regclass
            AND d.refobjsubid > 0
            AND d.deptype IN ('a', 'i')
        UNION ALL
        SELECT
            CASE
                WHEN ty.typrelid <> 0 AND rc.relkind <> 'c' THEN 'pg_class'::regclass
                WHEN ety.typrelid <> 0 AND erc.relkind <> 'c' THEN 'pg_class'::regclass
                ELSE 'pg_type'::regclass
            END,
            CASE
                WHEN ty.typrelid <> 0 AND rc.relkind <> 'c' THEN ty.typrelid
                WHEN ety.typrelid <> 0 AND erc.relkind <> 'c' THEN ety.typrelid
                WHEN ety.oid IS NOT NULL THEN ety.oid
                WHEN ty.typtype = 'm' THEN rg.rngtypid
                ELSE ty.oid
            END
        FROM pg_type AS ty
        LEFT JOIN pg_class AS rc ON rc.oid = ty.typrelid
        LEFT JOIN pg_type AS ety ON ety.oid = ty.typelem AND ety.typarray = ty.oid
        LEFT JOIN pg_class AS erc ON erc.oid = ety.typrelid
        LEFT JOIN pg_range AS rg ON rg.rngmultitypid = ty.oid
        WHERE w.classid = 'pg_type'::regclass
            AND ty.oid = w.objid
        UNION ALL
        SELECT 'pg_class'::regclass, ad.adrelid
        FROM pg_attrdef AS ad
        WHERE w.classid = 'pg_attrdef'::regclass AND ad.oid = w.objid
        UNION ALL
        SELECT
            CASE WHEN k.conrelid <> 0 THEN 'pg_class'::regclass ELSE 'pg_type'::regclass END,
            CASE WHEN k.conrelid <> 0 THEN k.conrelid ELSE k.contypid END
        FROM pg_constraint AS k
        WHERE w.classid = 'pg_constraint'::regclass AND k.oid = w.objid
        UNION ALL
        -- internal triggers (those of a foreign key, on both of its tables)
        -- are in no text: the referenced table is not read again for them
        SELECT 'pg_class'::regclass, tg.tgrelid
        FROM pg_trigger AS tg
        WHERE w.classid = 'pg_trigger'::regclass AND tg.oid = w.objid AND NOT tg.tgisinternal
        UNION ALL
        SELECT 'pg_class'::regclass, po.polrelid
        FROM pg_policy AS po
        WHERE w.classid = 'pg_policy'::regclass AND po.oid = w.objid
        UNION ALL
        SELECT 'pg_class'::regclass, rw.ev_class
        FROM pg_rewrite AS rw
        WHERE w.classid = 'pg_rewrite'::regclass AND rw.oid = w.objid
        UNION ALL
        SELECT 'pg_type'::regclass, e.enumtypid
        FROM pg_enum AS e
        WHERE w.classid = 'pg_enum'::regclass AND e.oid = w.objid
        UNION ALL
        -- operator family members: the family, and the classes that hold
        -- members of it (pg_opclass is read only for a member: tested on
        -- every object, it was a scan of pg_opclass for each)
        SELECT f.classid, f.objid
        FROM (
            SELECT amopfamily AS family FROM pg_amop
            WHERE w.classid = 'pg_amop'::regclass AND oid = w.objid
            UNION ALL
            SELECT amprocfamily FROM pg_amproc
            WHERE w.classid = 'pg_amproc'::regclass AND oid = w.objid
        ) AS m
        CROSS JOIN LATERAL (
            SELECT 'pg_opfamily'::regclass, m.family
            UNION ALL
            SELECT 'pg_opclass'::regclass, oc.oid
            FROM pg_opclass AS oc
            WHERE oc.opcfamily = m.family
        ) AS f (classid, objid)
        UNION ALL
        SELECT 'pg_publication'::regclass, pr.prpubid
        FROM pg_publication_rel AS pr
        WHERE w.classid = 'pg_publication_rel'::regclass AND pr.oid = w.objid
        UNION ALL
        SELECT 'pg_publication'::regclass, pn.pnpubid
        FROM pg_publication_namespace AS pn
        WHERE w.classid = 'pg_publication_namespace'::regclass AND pn.oid = w.objid
        UNION ALL
        SELECT w.classid, w.objid
        WHERE w.classid NOT IN (
            'pg_class'::regclass, 'pg_type'::regclass, 'pg_attrdef'::regclass,
            'pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass,
            'pg_rewrite'::regclass, 'pg_enum'::regclass, 'pg_amop'::regclass,
            'pg_amproc'::regclass, 'pg_publication_rel'::regclass,
            'pg_publication_namespace'::regclass
        )
    ) AS h (classid, objid)
),
holders AS (
    SELECT DISTINCT h.classid, h.objid, g.grp
    FROM held AS h
    CROSS JOIN LATERAL (
        SELECT CASE h.classid
            WHEN 'pg_class'::regclass THEN (
                SELECT CASE
                    WHEN c.relkind = 't' THEN NULL -- a toast table (via its index)
                    WHEN c.relkind IN ('r', 'p') THEN 'table'
                    WHEN c.relkind = 'v' THEN 'view'
                    WHEN c.relkind = 'm' THEN 'matview'
                    WHEN c.relkind = 'S' THEN 'sequence'
                    WHEN c.relkind = 'f' AND NOT c.relispartition THEN 'foreign_table'
                    ELSE 'other'
                END
                FROM pg_class AS c WHERE c.oid = h.objid)
            WHEN 'pg_proc'::regclass THEN (
                SELECT CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE 'function' END
                FROM pg_proc AS p WHERE p.oid = h.objid)
            WHEN 'pg_type'::regclass THEN (
                SELECT CASE
                    WHEN ty.typtype = 'd' THEN 'domain'
                    WHEN ty.typtype IN ('c', 'e', 'r') THEN 'type'
                    ELSE 'other'
                END
                FROM pg_type AS ty WHERE ty.oid = h.objid)
            WHEN 'pg_namespace'::regclass THEN 'schema'
            WHEN 'pg_collation'::regclass THEN 'collation'
            WHEN 'pg_operator'::regclass THEN 'operator'
            WHEN 'pg_opfamily'::regclass THEN 'opfamily'
            WHEN 'pg_opclass'::regclass THEN 'opclass'
            WHEN 'pg_cast'::regclass THEN 'cast'
            WHEN 'pg_statistic_ext'::regclass THEN 'statistics'
            WHEN 'pg_ts_config'::regclass THEN 'ts_config'
            WHEN 'pg_ts_dict'::regclass THEN 'ts_dict'
            WHEN 'pg_extension'::regclass THEN 'extension'
            WHEN 'pg_foreign_data_wrapper'::regclass THEN 'foreign_data_wrapper'
            WHEN 'pg_foreign_server'::regclass THEN 'server'
            WHEN 'pg_publication'::regclass THEN 'publication'
            WHEN 'pg_event_trigger'::regclass THEN 'event_trigger'
            WHEN 'pg_default_acl'::regclass THEN 'default_privileges'
            ELSE 'other'
        END AS grp
    ) AS g
    WHERE g.grp IS NOT NULL
),
parts (oid, holder_classid, holder_oid) AS (
    SELECT i.indexrelid, h.classid, h.objid
    FROM holders AS h JOIN pg_index AS i ON i.indrelid = h.objid
    WHERE h.classid = 'pg_class'::regclass
    UNION ALL
    SELECT d.objid, h.classid, h.objid
    FROM holders AS h
    JOIN pg_depend AS d
        ON d.refclassid = 'pg_class'::regclass AND d.refobjid = h.objid AND d.refobjsubid > 0
    WHERE h.classid = 'pg_class'::regclass
        AND d.classid = 'pg_class'::regclass
        AND d.deptype IN ('a', 'i')
    UNION ALL
    SELECT k.oid, h.classid, h.objid
    FROM holders AS h JOIN pg_constraint AS k ON k.conrelid = h.objid
    WHERE h.classid = 'pg_class'::regclass
    UNION ALL
    SELECT k.oid, h.classid, h.objid
    FROM holders AS h JOIN pg_constraint AS k ON k.contypid = h.objid AND k.conrelid = 0
    WHERE h.classid = 'pg_type'::regclass
    UNION ALL
    SELECT tg.oid, h.classid, h.objid
    FROM holders AS h JOIN pg_trigger AS tg ON tg.tgrelid = h.objid
    WHERE h.classid = 'pg_class'::regclass
    UNION ALL
    SELECT po.oid, h.classid, h.objid
    FROM holders AS h JOIN pg_policy AS po ON po.polrelid = h.objid
    WHERE h.classid = 'pg_class'::regclass
    UNION ALL
    SELECT rw.oid, h.classid, h.objid
    FROM holders AS h JOIN pg_rewrite AS rw ON rw.ev_class = h.objid
    WHERE h.classid = 'pg_class'::regclass
    UNION ALL
    SELECT ad.oid, h.classid, h.objid
    FROM holders AS h JOIN pg_attrdef AS ad ON ad.adrelid = h.objid
    WHERE h.classid = 'pg_class'::regclass
    UNION ALL
    SELECT ty.typrelid, h.classid, h.objid
    FROM holders AS h JOIN pg_type AS ty ON ty.oid = h.objid
    WHERE h.classid = 'pg_type'::regclass AND ty.typrelid <> 0
    UNION ALL
    SELECT pr.oid, h.classid, h.objid
    FROM holders AS h JOIN pg_publication_rel AS pr ON pr.prpubid = h.objid
    WHERE h.classid = 'pg_publication'::regclass
    UNION ALL
    SELECT pn.oid, h.classid, h.objid
    FROM holders AS h JOIN pg_publication_namespace AS pn ON pn.pnpubid = h.objid
    WHERE h.classid = 'pg_publication'::regclass
)
SELECT h.grp, h.objid AS oid, h.classid::oid AS holder_classid, h.objid AS holder_oid
FROM holders AS h
UNION ALL
SELECT 'part', p.oid, p.holder_classid::oid, p.holder_oid
FROM parts AS p
UNION ALL
-- a database-wide kind is read whole (capture.c): all its objects are in
-- the scope, so their comments and grants are read with them
SELECT 'part', g.oid, g.classid, g.oid
FROM (
    SELECT e.oid, 'pg_extension'::regclass::oid AS classid FROM pg_extension AS e
    WHERE EXISTS (SELECT FROM holders WHERE grp = 'extension')
    UNION ALL
    SELECT et.oid, 'pg_event_trigger'::regclass FROM pg_event_trigger AS et
    WHERE EXISTS (SELECT FROM holders WHERE grp = 'event_trigger')
    UNION ALL
    SELECT pb.oid, 'pg_publication'::regclass FROM pg_publication AS pb
    WHERE EXISTS (SELECT FROM holders WHERE grp = 'publication')
    UNION ALL
    SELECT w.oid, 'pg_foreign_data_wrapper'::regclass FROM pg_foreign_data_wrapper AS w
    WHERE EXISTS (SELECT FROM holders WHERE grp = 'foreign_data_wrapper')
    UNION ALL
    SELECT fs.oid, 'pg_foreign_server'::regclass FROM pg_foreign_server AS fs
    WHERE EXISTS (SELECT FROM holders WHERE grp = 'server')
    UNION ALL
    SELECT ca.oid, 'pg_cast'::regclass FROM pg_cast AS ca
    WHERE ca.oid >= 16384 AND EXISTS (SELECT FROM holders WHERE grp = 'cast')
) AS g
UNION ALL
SELECT 'child', i.inhrelid, 'pg_class'::regclass::oid, h.objid
FROM holders AS h
JOIN pg_inherits AS i ON i.inhparent = h.objid
WHERE h.classid = 'pg_class'::regclass;
