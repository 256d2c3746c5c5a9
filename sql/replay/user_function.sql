-- Whether a query calls a function that is not built in, so that it runs
-- (it may do DDL) rather than being skipped as a side-effect-free SELECT.
-- $1: a JSON array of {"nsp": schema or null, "name": function name}, the
-- FuncCall names of the statement (pg_catalog.* already left out).
-- A name is built in when only functions made by initdb (OID below
-- FirstNormalObjectId, 16384) carry it; a name no function carries counts
-- as user-defined too: the source ran it, so running it shows the error.
SELECT coalesce(bool_or(
         EXISTS (SELECT 1
                   FROM pg_catalog.pg_proc AS p
                   JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
                  WHERE p.proname = f.name AND (f.nsp IS NULL OR n.nspname = f.nsp)
                    AND p.oid >= 16384)
         OR NOT EXISTS (SELECT 1
                          FROM pg_catalog.pg_proc AS p
                          JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
                         WHERE p.proname = f.name AND (f.nsp IS NULL OR n.nspname = f.nsp))),
       false) AS user_function
  FROM jsonb_to_recordset($1::jsonb) AS f(nsp text, name text)
