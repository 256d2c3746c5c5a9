-- The user that runs history SQL in a conversion ($1), which capture writes
-- as CURRENT_USER (default_privileges.sql, attach.sql): its name is the
-- run's replay role, not the history's.
SELECT pg_catalog.set_config('ddlsnap.history_user', $1, false);
