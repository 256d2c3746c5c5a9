-- Does the target have the public schema initdb makes? (user_objects.sql
-- has made sure that it is empty and untouched.)
SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'public' AND oid < 16384)
