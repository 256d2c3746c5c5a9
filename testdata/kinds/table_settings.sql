-- Table settings: UNLOGGED, storage parameters of the table and of its
-- TOAST table (toast.*), replica identity FULL and NOTHING (USING INDEX is
-- in table_indexes.sql), CLUSTER ON, settings changed after creation, a
-- table made UNLOGGED and one made LOGGED again, a partitioned table's
-- replica identity. Storage parameters are written sorted by name, the
-- order in which ddlsnap writes them (PostgreSQL keeps them in the order
-- given; pg_dump prints the table's before the TOAST table's).
CREATE SCHEMA settings;

CREATE UNLOGGED TABLE settings.cache (
    key text PRIMARY KEY,
    value bytea
) WITH (autovacuum_enabled = false, fillfactor = 50, toast.autovacuum_enabled = false);

CREATE TABLE settings.tuned (
    id integer NOT NULL,
    body text
) WITH (autovacuum_vacuum_scale_factor = 0.05, fillfactor = 70, toast_tuple_target = 256);
-- (setting an option again moves it last: pg_dump would then see it out of order)
ALTER TABLE settings.tuned SET (toast.vacuum_truncate = false);
ALTER TABLE settings.tuned RESET (autovacuum_vacuum_scale_factor);
ALTER TABLE settings.tuned REPLICA IDENTITY FULL;
CREATE INDEX tuned_id_idx ON settings.tuned (id);
ALTER TABLE settings.tuned CLUSTER ON tuned_id_idx;

CREATE TABLE settings.quiet (id integer);
ALTER TABLE settings.quiet REPLICA IDENTITY NOTHING;
ALTER TABLE settings.quiet SET UNLOGGED;

CREATE UNLOGGED TABLE settings.logged_again (id integer);
ALTER TABLE settings.logged_again SET LOGGED;

CREATE TABLE settings.feed (id integer, at date) PARTITION BY RANGE (at);
ALTER TABLE settings.feed REPLICA IDENTITY FULL;
CREATE TABLE settings.feed_2024 PARTITION OF settings.feed
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') WITH (fillfactor = 60);
ALTER TABLE settings.feed_2024 REPLICA IDENTITY NOTHING;
