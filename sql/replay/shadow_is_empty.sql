-- A shadow named by the user must start empty: any relation, type or
-- routine in a user schema means it is not.
SELECT count(*) = 0 AS empty
  FROM (SELECT c.relnamespace AS nsp FROM pg_catalog.pg_class AS c
        UNION ALL
        SELECT t.typnamespace FROM pg_catalog.pg_type AS t
        UNION ALL
        SELECT p.pronamespace FROM pg_catalog.pg_proc AS p) AS o
  JOIN pg_catalog.pg_namespace AS n ON n.oid = o.nsp
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
