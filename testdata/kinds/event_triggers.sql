-- Event triggers (database-wide, %global/event_trigger/). Tricky cases:
--   - every event (ddl_command_start, ddl_command_end, sql_drop, table_rewrite);
--   - WHEN TAG IN with tags given in lower case and in no particular order:
--     PostgreSQL stores them upper-cased, in the order written, and pg_dump
--     prints that order, so the capture keeps it;
--   - every firing mode: origin (the default), DISABLE, ENABLE REPLICA,
--     ENABLE ALWAYS, the last one set twice;
--   - names that need quoting, for the trigger and its function's schema;
--   - a comment;
--   - the function is an ordinary function of a tracked schema: the checkout
--     creates it first, and creates event triggers last so that they do not
--     fire on the checkout's own DDL.
CREATE SCHEMA "Audit";

CREATE FUNCTION "Audit"."log DDL"() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$BEGIN NULL; END$$;

CREATE FUNCTION public.on_drop() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$BEGIN NULL; END$$;

CREATE EVENT TRIGGER log_start ON ddl_command_start
    EXECUTE FUNCTION "Audit"."log DDL"();

CREATE EVENT TRIGGER log_end ON ddl_command_end
    WHEN TAG IN ('drop table', 'CREATE TABLE', 'Alter Table')
    EXECUTE FUNCTION "Audit"."log DDL"();

CREATE EVENT TRIGGER "Watch Drops" ON sql_drop
    EXECUTE PROCEDURE public.on_drop();
ALTER EVENT TRIGGER "Watch Drops" DISABLE;

CREATE EVENT TRIGGER rewrites ON table_rewrite
    WHEN TAG IN ('ALTER TABLE')
    EXECUTE FUNCTION "Audit"."log DDL"();
ALTER EVENT TRIGGER rewrites ENABLE REPLICA;

CREATE EVENT TRIGGER always_end ON ddl_command_end
    EXECUTE FUNCTION public.on_drop();
ALTER EVENT TRIGGER always_end ENABLE REPLICA;
ALTER EVENT TRIGGER always_end ENABLE ALWAYS;

COMMENT ON EVENT TRIGGER log_end IS 'records table DDL';
