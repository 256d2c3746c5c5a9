-- Foreign servers (database-wide) that are not extension members. $1, the
-- tracked schemas, is unused but typed, as PostgreSQL requires of every
-- parameter it is given.
--
-- Options are sorted by name, as foreign_data_wrapper.sql explains. User
-- mappings are not captured: their options hold passwords (see
-- uncaptured.sql).
SELECT
    s.oid AS srv_oid,
    s.srvname AS srv_name,
    quote_ident(s.srvname) AS quoted_name,
    quote_literal(s.srvtype) AS server_type,
    quote_literal(s.srvversion) AS server_version,
    quote_ident(w.fdwname) AS fdw_name,
    (
        SELECT string_agg(format('%I %L', o.option_name, o.option_value), ', '
                          ORDER BY o.option_name COLLATE "C")
        FROM pg_options_to_table(s.srvoptions) AS o
    ) AS options
FROM pg_foreign_server AS s
JOIN pg_foreign_data_wrapper AS w ON w.oid = s.srvfdw
WHERE $1::oid[] IS NOT NULL
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_foreign_server'::regclass
            AND d.objid = s.oid
            AND d.deptype = 'e'
    )
ORDER BY s.srvname COLLATE "C";
