-- The statements that create the replay role and give it the scratch
-- database, in order. $1: role name, $2: its password as a SCRAM verifier
-- (or NULL for an existing role, which is then not created), $3: the scratch
-- database.
--
-- The role may log in and nothing more. Owning the database gives it what
-- history needs there (CREATE SCHEMA, trusted extensions, the public schema,
-- which belongs to pg_database_owner: hence INHERIT, as the role is a
-- member of nothing else). PUBLIC loses CONNECT and TEMPORARY on
-- the shadow, so no other role can log into it while history runs.
SELECT stmt
FROM unnest(ARRAY[
    CASE WHEN $2::text IS NOT NULL THEN
        format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION'
               ' NOBYPASSRLS CONNECTION LIMIT 4 PASSWORD %L', $1::text, $2::text)
    END,
    format('ALTER DATABASE %I OWNER TO %I', $3::text, $1::text),
    format('REVOKE ALL ON DATABASE %I FROM PUBLIC', $3::text)
]) WITH ORDINALITY AS s (stmt, n)
WHERE stmt IS NOT NULL
ORDER BY n;
