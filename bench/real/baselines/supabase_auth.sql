-- bench/real/baselines/supabase_auth.sql: what exists before supabase/auth's migrations run.
-- The application's setup creates the schema its migrations write into (the namespace of
-- bench/real/load.sh's pop mode); pgGit v1 never records CREATE SCHEMA, so a lossy history
-- needs it as a baseline (`ddlsnap convert --baseline`).
CREATE SCHEMA auth;
