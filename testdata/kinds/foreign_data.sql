-- Foreign-data wrappers and servers (database-wide, %global/foreign_data_wrapper/
-- and %global/server/) and foreign tables (in their schema). Tricky cases:
--   - wrappers made by CREATE EXTENSION (postgres_fdw, file_fdw) are not
--     captured, but privileges granted on them since are (in the extension's text);
--   - a wrapper of the user's with the handler and validator of an extension's
--     functions (qualified), one whose validator was removed again, one with
--     neither; names that need quoting;
--   - options written out of order, added, changed and dropped with ALTER ...
--     OPTIONS: PostgreSQL keeps them in the order they came, pg_dump and the
--     capture sort them by name;
--   - option values that need quoting;
--   - a server with TYPE and VERSION, one with neither;
--   - foreign tables: column options, NOT NULL, DEFAULT, a collation, a
--     generated column, a serial column (its sequence goes with the table),
--     CHECK constraints (one NOT VALID), a table without columns, quoted names;
--   - comments and privileges on all of them, column privileges too.
-- User mappings are left out: ddlsnap never captures them (their options hold
-- passwords) and pg_dump would show them.
DO $$ BEGIN CREATE ROLE ddlsnap_fdw_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA remote;
CREATE SCHEMA "Files";

CREATE EXTENSION postgres_fdw SCHEMA public;
CREATE EXTENSION file_fdw SCHEMA public;
GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO ddlsnap_fdw_user;

-- wrappers of the user's
CREATE FOREIGN DATA WRAPPER pg_again
    HANDLER public.postgres_fdw_handler
    VALIDATOR public.postgres_fdw_validator;
CREATE FOREIGN DATA WRAPPER "Legacy FDW" VALIDATOR public.postgres_fdw_validator;
ALTER FOREIGN DATA WRAPPER "Legacy FDW" NO VALIDATOR;
ALTER FOREIGN DATA WRAPPER "Legacy FDW" OPTIONS (zone 'eu', mode 'read only', "Quoted Key" 'it''s');
ALTER FOREIGN DATA WRAPPER "Legacy FDW" OPTIONS (DROP mode, ADD alpha '1', SET zone 'us');
CREATE FOREIGN DATA WRAPPER bare;
GRANT USAGE ON FOREIGN DATA WRAPPER "Legacy FDW" TO ddlsnap_fdw_user WITH GRANT OPTION;
COMMENT ON FOREIGN DATA WRAPPER bare IS 'does nothing';

-- servers
CREATE SERVER "Main Server" TYPE 'postgresql' VERSION '15'
    FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (port '5432', host 'db.example.com', dbname 'shop');
ALTER SERVER "Main Server" OPTIONS (ADD fetch_size '500', SET port '6432');
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE SERVER spare FOREIGN DATA WRAPPER pg_again OPTIONS (host 'spare');
CREATE SERVER legacy FOREIGN DATA WRAPPER "Legacy FDW";
GRANT USAGE ON FOREIGN SERVER "Main Server" TO ddlsnap_fdw_user;
COMMENT ON SERVER files IS 'local CSV files';

-- foreign tables
CREATE FOREIGN TABLE remote.orders (
    id integer OPTIONS (column_name 'order_id') NOT NULL,
    customer text COLLATE "C" NOT NULL DEFAULT '',
    total numeric(10,2) CHECK (total >= 0),
    total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED,
    seq serial
) SERVER "Main Server" OPTIONS (table_name 'orders', schema_name 'public', updatable 'false');
ALTER FOREIGN TABLE remote.orders ALTER COLUMN customer OPTIONS (ADD column_name 'cust');
ALTER FOREIGN TABLE remote.orders ADD CONSTRAINT orders_id_positive CHECK (id > 0) NOT VALID;
GRANT SELECT ON remote.orders TO ddlsnap_fdw_user;
GRANT UPDATE (customer) ON remote.orders TO ddlsnap_fdw_user;
COMMENT ON FOREIGN TABLE remote.orders IS 'orders of the shop';
COMMENT ON COLUMN remote.orders.total IS 'in euros';

CREATE FOREIGN TABLE "Files"."Price List" (
    "SKU" text,
    price numeric
) SERVER files OPTIONS (format 'csv', header 'true', filename '/srv/prices.csv');

CREATE FOREIGN TABLE remote.heartbeat () SERVER spare;
