-- Operators of the tracked schemas, extension members excepted.
-- $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Shell operators (no function yet) are left out, as pg_dump leaves them
-- out: CREATE OPERATOR makes them for a COMMUTATOR or NEGATOR that does not
-- exist yet, and the real one fills them in, so they come back by
-- themselves in whatever order the operators are created.
--
-- COMMUTATOR and NEGATOR are written on both operators of a pair even when
-- the catalog links them one way only. That happens when an operator made
-- as a shell by the other's COMMUTATOR or NEGATOR is then created without
-- naming it back: its CREATE clears the link the shell had. No order of
-- CREATE OPERATOR statements rebuilds such a one-way link reliably (the
-- second to be created links the first back when the first has no link),
-- so the texts make the pair symmetric, which they then give in any order.
--
-- The object name carries the argument types, "+(integer,integer)" or
-- "-(NONE,integer)" for a prefix operator, so that overloads are distinct
-- objects. options holds the CREATE OPERATOR options, one a line, in a
-- fixed order; functions are printed as regproc does (schema-qualified
-- unless the bare name finds them in pg_catalog), related operators as
-- OPERATOR(schema.name), which CREATE OPERATOR resolves with the types.
SELECT
    o.oid AS oprid,
    n.nspname AS schema_name,
    o.oprname || '(' || coalesce(format_type(nullif(o.oprleft, 0), NULL), 'NONE') || ','
        || format_type(o.oprright, NULL) || ')' AS object_name,
    format('%I.%s', n.nspname, o.oprname) AS qualified_name,
    (
        SELECT string_agg(x.line, E',\n    ' ORDER BY x.ord)
        FROM (
            VALUES
                (1, 'FUNCTION = ' || o.oprcode::regproc),
                (2, 'LEFTARG = ' || format_type(nullif(o.oprleft, 0), NULL)),
                (3, 'RIGHTARG = ' || format_type(o.oprright, NULL)),
                (4, 'COMMUTATOR = ' || (
                    SELECT format('OPERATOR(%I.%s)', cn.nspname, c.oprname)
                    FROM pg_operator AS c
                    JOIN pg_namespace AS cn ON cn.oid = c.oprnamespace
                    WHERE c.oid = o.oprcom
                        OR (o.oprcom = 0 AND c.oprcom = o.oid)
                    ORDER BY cn.nspname COLLATE "C", c.oprname COLLATE "C"
                    LIMIT 1
                )),
                (5, 'NEGATOR = ' || (
                    SELECT format('OPERATOR(%I.%s)', ngn.nspname, ng.oprname)
                    FROM pg_operator AS ng
                    JOIN pg_namespace AS ngn ON ngn.oid = ng.oprnamespace
                    WHERE ng.oid = o.oprnegate
                        OR (o.oprnegate = 0 AND ng.oprnegate = o.oid)
                    ORDER BY ngn.nspname COLLATE "C", ng.oprname COLLATE "C"
                    LIMIT 1
                )),
                (6, CASE WHEN o.oprcanmerge THEN 'MERGES' END),
                (7, CASE WHEN o.oprcanhash THEN 'HASHES' END),
                (8, 'RESTRICT = ' || nullif(o.oprrest::oid, 0)::regproc),
                (9, 'JOIN = ' || nullif(o.oprjoin::oid, 0)::regproc)
        ) AS x (ord, line)
        WHERE x.line IS NOT NULL
    ) AS options
FROM pg_operator AS o
JOIN pg_namespace AS n ON n.oid = o.oprnamespace
WHERE o.oprnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR o.oid = ANY ($2::oid[]))
    AND o.oprcode <> 0
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_operator'::regclass
            AND d.objid = o.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", o.oprname COLLATE "C",
    format_type(o.oprleft, NULL) COLLATE "C", format_type(o.oprright, NULL) COLLATE "C";
