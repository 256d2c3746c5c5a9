-- Operator families of the tracked schemas, extension members excepted,
-- with their loose members. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- A family is captured even when CREATE OPERATOR CLASS made it implicitly:
-- every class names its family (opclass.sql), so the texts never depend on
-- which of the two runs first. Loose members are the operators and support
-- functions that depend on the family rather than on one of its classes:
-- those ALTER OPERATOR FAMILY ... ADD added, and those of a CREATE OPERATOR
-- CLASS that the access method attaches to the family (cross-type btree
-- members, GiST operators). They are written as pg_dump writes them, in
-- one ALTER, operators then functions, each by (strategy or support
-- number, left type, right type).
SELECT
    f.oid AS opfid,
    n.nspname AS schema_name,
    f.opfname || ' USING ' || am.amname AS object_name,
    format('%I.%I USING %I', n.nspname, f.opfname, am.amname) AS qualified_name,
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
                AND d.refclassid = 'pg_opfamily'::regclass
                AND d.refobjid = f.oid
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
                AND d.refclassid = 'pg_opfamily'::regclass
                AND d.refobjid = f.oid
        ) AS m
    ) AS members
FROM pg_opfamily AS f
JOIN pg_namespace AS n ON n.oid = f.opfnamespace
JOIN pg_am AS am ON am.oid = f.opfmethod
WHERE f.opfnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR f.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_opfamily'::regclass
            AND d.objid = f.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", f.opfname COLLATE "C", am.amname COLLATE "C";
