-- Remove what install.sql made (the end of a run on a named shadow).
SET client_min_messages = warning;
DROP EVENT TRIGGER IF EXISTS _ddlsnap_ddl_command_end;
DROP EVENT TRIGGER IF EXISTS _ddlsnap_sql_drop;
DROP SCHEMA IF EXISTS _ddlsnap CASCADE;
