-- What the replay connection calls right before its change commits
-- (docs/incremental.md, "Capturing several changes at once"): read.sql and
-- scope.sql as functions, made by touched.c after install.sql, with the
-- two markers below replaced by the two files' text.
--
-- take() reads and deletes the log, so it is SECURITY DEFINER, and it asks
-- for the run's token (a random value the capture connection writes in
-- _ddlsnap.token and sends only in take.sql's call, which history SQL never
-- sees): history SQL, run by the same connection, cannot empty the log to
-- hide what it did. scope() only
-- reads catalogs every user may read, as the user that calls it. Both fix
-- their search_path (the change's own SET search_path is still in force)
-- and keep their plans for the session (generic ones for scope()).
CREATE TABLE _ddlsnap.token (token text NOT NULL);

CREATE FUNCTION _ddlsnap.take(token text)
RETURNS TABLE (classids oid[], objids oid[], everything boolean, event_triggers text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $ddlsnap_body$
#variable_conflict use_column
BEGIN
    IF NOT EXISTS (SELECT FROM _ddlsnap.token AS k WHERE k.token = $1) THEN
        RAISE EXCEPTION '_ddlsnap.take(): not the token of this run';
    END IF;
    RETURN QUERY
@READ@;
END
$ddlsnap_body$;

CREATE FUNCTION _ddlsnap.scope(classids oid[], objids oid[])
RETURNS TABLE (grp text, oid oid, holder_classid oid, holder_oid oid)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan
SET jit = off AS $ddlsnap_body$
#variable_conflict use_column
BEGIN
    RETURN QUERY
@SCOPE@;
END
$ddlsnap_body$;

GRANT USAGE ON SCHEMA _ddlsnap TO PUBLIC;
