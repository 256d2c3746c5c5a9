-- Foreign-data wrappers (database-wide) that are not extension members:
-- CREATE EXTENSION postgres_fdw makes its wrapper, CREATE FOREIGN DATA
-- WRAPPER makes the user's. $1, the tracked schemas, is unused but typed,
-- as PostgreSQL requires of every parameter it is given.
--
-- Handler and validator functions are always qualified. Options are sorted
-- by name: PostgreSQL keeps them in the order they were written (and
-- ALTER ... OPTIONS (ADD ...) appends), an order that means nothing to a
-- wrapper and that pg_dump sorts away too.
SELECT
    w.oid AS fdw_oid,
    w.fdwname AS fdw_name,
    quote_ident(w.fdwname) AS quoted_name,
    (
        SELECT format('%I.%I', n.nspname, p.proname)
        FROM pg_proc AS p
        JOIN pg_namespace AS n ON n.oid = p.pronamespace
        WHERE p.oid = w.fdwhandler
    ) AS handler,
    (
        SELECT format('%I.%I', n.nspname, p.proname)
        FROM pg_proc AS p
        JOIN pg_namespace AS n ON n.oid = p.pronamespace
        WHERE p.oid = w.fdwvalidator
    ) AS validator,
    (
        SELECT string_agg(format('%I %L', o.option_name, o.option_value), ', '
                          ORDER BY o.option_name COLLATE "C")
        FROM pg_options_to_table(w.fdwoptions) AS o
    ) AS options
FROM pg_foreign_data_wrapper AS w
WHERE $1::oid[] IS NOT NULL
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_foreign_data_wrapper'::regclass
            AND d.objid = w.oid
            AND d.deptype = 'e'
    )
ORDER BY w.fdwname COLLATE "C";
