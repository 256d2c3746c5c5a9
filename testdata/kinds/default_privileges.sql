-- Default privileges (ALTER DEFAULT PRIVILEGES), one object per role and kind
-- of object: database-wide ones under %global/default_privileges/, those of a
-- schema under <schema>/default_privileges/, named "<role> on tables". Tricky cases:
--   - database-wide entries are written as the difference from PostgreSQL's
--     built-in defaults (REVOKE EXECUTE ... FROM PUBLIC, the owner revoking its
--     own privileges), schema entries as the grants they add;
--   - every kind: tables, sequences, functions, types, schemas (database-wide only);
--   - WITH GRANT OPTION, several privileges in one entry, PUBLIC as grantee;
--   - roles and schemas whose names need quoting;
--   - an entry brought back to the default, which PostgreSQL deletes;
--   - tables created before and after an entry: only the later one has the
--     grants (in its own text); the checkout applies default privileges last,
--     as pg_dump does, so the earlier one stays without.
DO $$ BEGIN CREATE ROLE ddlsnap_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE ddlsnap_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE "Report Reader"; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA app;
CREATE SCHEMA "Reports";

CREATE TABLE app.before_defaults (id integer);

-- database-wide
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner GRANT SELECT ON TABLES TO "Report Reader";
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner REVOKE ALL ON TABLES FROM ddlsnap_owner;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner GRANT SELECT, INSERT ON TABLES TO ddlsnap_owner;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner
    GRANT EXECUTE ON FUNCTIONS TO ddlsnap_app WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner REVOKE USAGE ON TYPES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner GRANT USAGE, CREATE ON SCHEMAS TO ddlsnap_app;
ALTER DEFAULT PRIVILEGES FOR ROLE "Report Reader" GRANT USAGE ON SEQUENCES TO PUBLIC;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON SEQUENCES TO ddlsnap_app;

-- back to the default: PostgreSQL deletes the entry
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_app GRANT SELECT ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_app REVOKE SELECT ON TABLES FROM PUBLIC;

-- per schema
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner IN SCHEMA app
    GRANT INSERT, UPDATE, DELETE ON TABLES TO ddlsnap_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner IN SCHEMA app
    GRANT USAGE ON SEQUENCES TO ddlsnap_app WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner IN SCHEMA app, "Reports"
    GRANT EXECUTE ON FUNCTIONS TO "Report Reader";
ALTER DEFAULT PRIVILEGES FOR ROLE ddlsnap_owner IN SCHEMA "Reports"
    GRANT USAGE ON TYPES TO "Report Reader";
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO "Report Reader";

CREATE TABLE app.after_defaults (id integer);
