-- Enum, composite and range types of the tracked schemas, except extension
-- members. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- Not here: domains (domain.sql); base types and shell types, listed by
-- uncaptured.sql; and the types PostgreSQL makes by itself, which are part
-- of another object: row types of relations, array types, the multirange
-- type of each range type.
--
-- For ranges, the options CREATE TYPE would not choose by itself: the
-- operator class when it is not the subtype's default btree class, the
-- collation when it is not the subtype's, the canonical and subtype_diff
-- functions, and the multirange type's name when it is not the one
-- PostgreSQL derives from the range's name ("range" becomes "multirange",
-- or "_multirange" is appended; the name is cut to 63 bytes, done here for
-- single-byte names). Names in pg_catalog are written unqualified, the
-- capture session's empty search_path finds them; others are qualified.
--
-- The names a range refers to are read by scalar subqueries, not joined: a
-- join of twelve catalogs took the planner 10 to 40 ms, and incremental
-- capture plans its queries again whenever the plan cache is reset (each
-- change to pg_namespace, a CREATE SCHEMA say); now about 1.5 ms.
SELECT
    ty.oid AS typid,
    n.nspname AS schema_name,
    ty.typname AS type_name,
    format('%I.%I', n.nspname, ty.typname) AS qualified_name,
    ty.typtype AS type_kind,
    r.range_subtype,
    r.range_opclass,
    r.range_collation,
    r.range_canonical,
    r.range_subtype_diff,
    r.multirange_name
FROM pg_type AS ty
JOIN pg_namespace AS n ON n.oid = ty.typnamespace
LEFT JOIN pg_class AS c ON c.oid = ty.typrelid
LEFT JOIN LATERAL (
    SELECT
        format_type(rg.rngsubtype, NULL) AS range_subtype,
        CASE
            WHEN opc.opcdefault THEN NULL
            WHEN opc.opcnamespace = 'pg_catalog'::regnamespace THEN quote_ident(opc.opcname)
            ELSE format('%I.%I', (SELECT nspname FROM pg_namespace WHERE oid = opc.opcnamespace),
                        opc.opcname)
        END AS range_opclass,
        CASE
            WHEN rg.rngcollation = st.typcollation OR rg.rngcollation = 0 THEN NULL
            ELSE (
                SELECT CASE
                    WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN quote_ident(co.collname)
                    ELSE format('%I.%I', con.nspname, co.collname)
                END
                FROM pg_collation AS co
                LEFT JOIN pg_namespace AS con ON con.oid = co.collnamespace
                WHERE co.oid = rg.rngcollation
            )
        END AS range_collation,
        CASE
            WHEN rg.rngcanonical = 0 THEN NULL
            ELSE (
                SELECT CASE
                    WHEN canon.pronamespace = 'pg_catalog'::regnamespace THEN quote_ident(canon.proname)
                    ELSE format('%I.%I', canonn.nspname, canon.proname)
                END
                FROM pg_proc AS canon
                LEFT JOIN pg_namespace AS canonn ON canonn.oid = canon.pronamespace
                WHERE canon.oid = rg.rngcanonical
            )
        END AS range_canonical,
        CASE
            WHEN rg.rngsubdiff = 0 THEN NULL
            ELSE (
                SELECT CASE
                    WHEN diff.pronamespace = 'pg_catalog'::regnamespace THEN quote_ident(diff.proname)
                    ELSE format('%I.%I', diffn.nspname, diff.proname)
                END
                FROM pg_proc AS diff
                LEFT JOIN pg_namespace AS diffn ON diffn.oid = diff.pronamespace
                WHERE diff.oid = rg.rngsubdiff
            )
        END AS range_subtype_diff,
        CASE
            WHEN mt.typnamespace = ty.typnamespace
                AND mt.typname = left(
                    CASE
                        WHEN strpos(ty.typname, 'range') > 0
                            THEN overlay(ty.typname PLACING 'multirange'
                                         FROM strpos(ty.typname, 'range') FOR 5)
                        ELSE left(ty.typname, 52) || '_multirange'
                    END,
                    63)
                THEN NULL
            ELSE format('%I.%I', (SELECT nspname FROM pg_namespace WHERE oid = mt.typnamespace),
                        mt.typname)
        END AS multirange_name
    FROM pg_range AS rg
    JOIN pg_type AS st ON st.oid = rg.rngsubtype
    JOIN pg_opclass AS opc ON opc.oid = rg.rngsubopc
    JOIN pg_type AS mt ON mt.oid = rg.rngmultitypid
    WHERE rg.rngtypid = ty.oid
) AS r ON true
WHERE ty.typnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR ty.oid = ANY ($2::oid[]))
    AND (ty.typtype IN ('e', 'r') OR (ty.typtype = 'c' AND c.relkind = 'c'))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_type'::regclass
            AND d.objid = ty.oid
            AND d.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", ty.typname COLLATE "C";
