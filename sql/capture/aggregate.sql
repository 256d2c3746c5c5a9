-- Aggregates of the tracked schemas, extension members excepted.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- The object name carries the identity arguments, as functions' do, so that
-- overloads are distinct objects. signature is what CREATE AGGREGATE takes:
-- the arguments with ORDER BY for ordered-set aggregates, "*" for none.
-- options holds the options that differ from CREATE AGGREGATE's defaults,
-- one a line, in the order of the CREATE AGGREGATE page of the manual.
-- Functions are printed as regproc does: schema-qualified unless the bare
-- name finds them (in pg_catalog, under the empty search_path). CREATE
-- AGGREGATE finds the right overload from the types. FINALFUNC_MODIFY defaults to READ_ONLY for plain
-- aggregates and READ_WRITE for ordered-set and hypothetical ones.
SELECT
    p.oid AS aggid,
    n.nspname AS schema_name,
    p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS object_name,
    format('%I.%I', n.nspname, p.proname) AS qualified_name,
    CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_arguments(p.oid) END AS signature,
    (
        SELECT string_agg(o.line, E',\n    ' ORDER BY o.ord)
        FROM (
            VALUES
                (1, 'SFUNC = ' || a.aggtransfn::regproc),
                (2, 'STYPE = ' || format_type(a.aggtranstype, NULL)),
                (3, 'SSPACE = ' || nullif(a.aggtransspace, 0)),
                (4, 'FINALFUNC = ' || nullif(a.aggfinalfn::oid, 0)::regproc),
                (5, CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END),
                (6, 'FINALFUNC_MODIFY = ' || CASE nullif(a.aggfinalmodify, m.default_modify)
                    WHEN 'r' THEN 'READ_ONLY'
                    WHEN 's' THEN 'SHAREABLE'
                    WHEN 'w' THEN 'READ_WRITE'
                END),
                (7, 'COMBINEFUNC = ' || nullif(a.aggcombinefn::oid, 0)::regproc),
                (8, 'SERIALFUNC = ' || nullif(a.aggserialfn::oid, 0)::regproc),
                (9, 'DESERIALFUNC = ' || nullif(a.aggdeserialfn::oid, 0)::regproc),
                (10, 'INITCOND = ' || quote_literal(a.agginitval)),
                (11, 'MSFUNC = ' || nullif(a.aggmtransfn::oid, 0)::regproc),
                (12, 'MINVFUNC = ' || nullif(a.aggminvtransfn::oid, 0)::regproc),
                (13, 'MSTYPE = ' || format_type(nullif(a.aggmtranstype, 0), NULL)),
                (14, 'MSSPACE = ' || nullif(a.aggmtransspace, 0)),
                (15, 'MFINALFUNC = ' || nullif(a.aggmfinalfn::oid, 0)::regproc),
                (16, CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END),
                (17, 'MFINALFUNC_MODIFY = ' || CASE nullif(a.aggmfinalmodify, m.default_modify)
                    WHEN 'r' THEN 'READ_ONLY'
                    WHEN 's' THEN 'SHAREABLE'
                    WHEN 'w' THEN 'READ_WRITE'
                END),
                (18, 'MINITCOND = ' || quote_literal(a.aggminitval)),
                (19, 'SORTOP = ' || (
                    SELECT format('OPERATOR(%I.%s)', opn.nspname, op.oprname)
                    FROM pg_operator AS op
                    JOIN pg_namespace AS opn ON opn.oid = op.oprnamespace
                    WHERE op.oid = a.aggsortop
                )),
                (20, 'PARALLEL = ' || CASE p.proparallel
                    WHEN 's' THEN 'SAFE'
                    WHEN 'r' THEN 'RESTRICTED'
                END),
                (21, CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END)
        ) AS o (ord, line)
        WHERE o.line IS NOT NULL
    ) AS options
FROM pg_proc AS p
JOIN pg_namespace AS n ON n.oid = p.pronamespace
JOIN pg_aggregate AS a ON a.aggfnoid = p.oid
CROSS JOIN LATERAL (
    SELECT CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END::"char" AS default_modify
) AS m
WHERE p.prokind = 'a'
    AND p.pronamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR p.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_proc'::regclass
            AND d.objid = p.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", p.proname COLLATE "C",
    pg_get_function_identity_arguments(p.oid) COLLATE "C";
