-- The connection's user and whether it is a superuser.
SELECT current_user, rolsuper
FROM pg_roles
WHERE rolname = current_user;
