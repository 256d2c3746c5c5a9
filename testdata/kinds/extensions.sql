-- Extensions (database-wide, %global/extension/). Tricky cases:
--   - an extension in a schema other than public, and a table using its type
--     (the checkout must create the schema, then the extension, then the table);
--   - a name that needs quoting ("uuid-ossp");
--   - an extension that requires another one (earthdistance needs cube),
--     created in the other order than the alphabetical one;
--   - a version that is not the default (hstore 1.6, updated to 1.7 afterwards):
--     the snapshot says VERSION '1.7', so the checkout installs the same members;
--   - an extension moved to another schema (ALTER EXTENSION ... SET SCHEMA);
--   - an extension that must live in pg_catalog (adminpack);
--   - a comment changed from the control file's, and one removed
--     (CREATE EXTENSION would put the control file's back);
--   - privileges changed on members (a function, a type) after CREATE EXTENSION:
--     the members are not captured, the changes are, in the extension's text;
--   - plpgsql, which initdb installed, is never captured.
DO $$ BEGIN CREATE ROLE ddlsnap_ext_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA ext;
CREATE SCHEMA "Text Tools";

CREATE EXTENSION citext SCHEMA ext;
CREATE TABLE public.accounts (
    id integer PRIMARY KEY,
    login ext.citext NOT NULL UNIQUE
);

CREATE EXTENSION "uuid-ossp" SCHEMA public;

CREATE EXTENSION earthdistance CASCADE SCHEMA public;

CREATE EXTENSION hstore SCHEMA public VERSION '1.6';
ALTER EXTENSION hstore UPDATE TO '1.7';

CREATE EXTENSION pg_trgm SCHEMA public;
ALTER EXTENSION pg_trgm SET SCHEMA "Text Tools";

CREATE EXTENSION adminpack;

COMMENT ON EXTENSION citext IS 'case-insensitive logins';
COMMENT ON EXTENSION "uuid-ossp" IS NULL;

REVOKE ALL ON FUNCTION public.uuid_generate_v4() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.uuid_generate_v4() TO ddlsnap_ext_user;
REVOKE USAGE ON TYPE public.hstore FROM PUBLIC;
GRANT USAGE ON TYPE ext.citext TO ddlsnap_ext_user WITH GRANT OPTION;
