-- Operator classes of the tracked schemas, extension members excepted.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- The family is always named (FAMILY), so that the class never creates one
-- implicitly: families are objects of their own (opfamily.sql). members
-- are the operators and support functions that depend on the class itself,
-- operators then functions, by (strategy or support number, left type,
-- right type); the others belong to the family's text. A class all of
-- whose members went to its family still needs one item after AS: it is
-- then given STORAGE of its own type, which PostgreSQL stores as no
-- storage type, as pg_dump does.
SELECT
    c.oid AS opcid,
    n.nspname AS schema_name,
    c.opcname || ' USING ' || am.amname AS object_name,
    format('%I.%I', n.nspname, c.opcname) AS qualified_name,
    c.opcdefault AS is_default,
    format_type(c.opcintype, NULL) AS input_type,
    quote_ident(am.amname) AS access_method,
    format('%I.%I', fn.nspname, f.opfname) AS family,
    format_type(nullif(c.opckeytype, 0), NULL) AS storage,
    (
        SELECT string_agg(m.line, E',\n    ' ORDER BY m.ord, m.num, m.lefttype COLLATE "C",
                          m.righttype COLLATE "C")
        FROM (
            SELECT 1 AS ord, ao.amopstrategy AS num,
                format_type(ao.amoplefttype, NULL) AS lefttype,
                format_type(ao.amoprighttype, NULL) AS righttype,
                format('OPERATOR %s %s', ao.amopstrategy, ao.amopopr::regoperator)
                    || coalesce((
                        SELECT format(' FOR ORDER BY %I.%I', sn.nspname, sf.opfname)
                        FROM pg_opfamily AS sf
                        JOIN pg_namespace AS sn ON sn.oid = sf.opfnamespace
                        WHERE sf.oid = ao.amopsortfamily
                    ), '') AS line
            FROM pg_amop AS ao
            JOIN pg_depend AS d
                ON d.classid = 'pg_amop'::regclass
                AND d.objid = ao.oid
                AND d.refclassid = 'pg_opclass'::regclass
                AND d.refobjid = c.oid
            UNION ALL
            SELECT 2, ap.amprocnum,
                format_type(ap.amproclefttype, NULL),
                format_type(ap.amprocrighttype, NULL),
                format('FUNCTION %s (%s, %s) %s', ap.amprocnum,
                       format_type(ap.amproclefttype, NULL),
                       format_type(ap.amprocrighttype, NULL),
                       ap.amproc::regprocedure)
            FROM pg_amproc AS ap
            JOIN pg_depend AS d
                ON d.classid = 'pg_amproc'::regclass
                AND d.objid = ap.oid
                AND d.refclassid = 'pg_opclass'::regclass
                AND d.refobjid = c.oid
        ) AS m
    ) AS members
FROM pg_opclass AS c
JOIN pg_namespace AS n ON n.oid = c.opcnamespace
JOIN pg_am AS am ON am.oid = c.opcmethod
JOIN pg_opfamily AS f ON f.oid = c.opcfamily
JOIN pg_namespace AS fn ON fn.oid = f.opfnamespace
WHERE c.opcnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_opclass'::regclass
            AND d.objid = c.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", c.opcname COLLATE "C", am.amname COLLATE "C";
