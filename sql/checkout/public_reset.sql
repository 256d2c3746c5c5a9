-- The snapshot has schema public: keep the target's (CREATE SCHEMA would
-- fail, and only initdb's public is owned by pg_database_owner and has
-- initial privileges, which the snapshot's grants are relative to), but
-- drop its comment, so that the snapshot's own comment, or none, wins.
COMMENT ON SCHEMA public IS NULL
