-- What incremental capture learns from the shadow database: event triggers
-- that write down, in the change's own transaction, every object a DDL
-- command created, altered or dropped. A change that is rolled back leaves
-- nothing behind; read.sql takes the rows of the changes committed since.
--
-- Run on the capture connection (a superuser: event triggers need one).
-- The functions are SECURITY DEFINER so the role that runs history SQL
-- needs no right on _ddlsnap: it cannot read, write or drop what is here.
-- The schema is never captured (schema_tracked.sql) and is dropped again at
-- the end of a run (uninstall.sql).
CREATE SCHEMA _ddlsnap;
REVOKE ALL ON SCHEMA _ddlsnap FROM PUBLIC;

CREATE TABLE _ddlsnap.touched (
    classid oid NOT NULL,
    objid oid NOT NULL,
    dropped boolean NOT NULL
);

CREATE FUNCTION _ddlsnap.on_ddl_command_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    -- objid is 0 (or NULL) for commands that name no single object (GRANT,
    -- ALTER DEFAULT PRIVILEGES, some commands of extension scripts):
    -- read.sql reports those as "everything".
    INSERT INTO _ddlsnap.touched (classid, objid, dropped)
    SELECT coalesce(c.classid, 0), coalesce(c.objid, 0), false
    FROM pg_event_trigger_ddl_commands() AS c;
END
$$;

CREATE FUNCTION _ddlsnap.on_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    INSERT INTO _ddlsnap.touched (classid, objid, dropped)
    SELECT coalesce(d.classid, 0), coalesce(d.objid, 0), true
    FROM pg_event_trigger_dropped_objects() AS d;
END
$$;

REVOKE ALL ON FUNCTION _ddlsnap.on_ddl_command_end() FROM PUBLIC;
REVOKE ALL ON FUNCTION _ddlsnap.on_sql_drop() FROM PUBLIC;

CREATE EVENT TRIGGER _ddlsnap_ddl_command_end ON ddl_command_end
    EXECUTE FUNCTION _ddlsnap.on_ddl_command_end();
CREATE EVENT TRIGGER _ddlsnap_sql_drop ON sql_drop
    EXECUTE FUNCTION _ddlsnap.on_sql_drop();
