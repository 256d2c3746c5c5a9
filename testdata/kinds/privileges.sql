-- Privileges on every kind that has them, against each kind's default ACL:
-- grants to roles and PUBLIC, WITH GRANT OPTION, revokes from PUBLIC,
-- column privileges, owned sequences, and the public schema's own ACL changed.
DO $$ BEGIN CREATE ROLE ddlsnap_fx_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE ddlsnap_fx_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA shop;
GRANT USAGE ON SCHEMA shop TO ddlsnap_fx_reader WITH GRANT OPTION;
REVOKE CREATE ON SCHEMA public FROM pg_database_owner;
GRANT USAGE ON SCHEMA public TO ddlsnap_fx_writer;

CREATE TABLE shop.orders (
    id serial PRIMARY KEY,
    customer text NOT NULL,
    note text,
    total numeric
);
GRANT SELECT ON shop.orders TO ddlsnap_fx_reader;
GRANT INSERT, UPDATE (note, total), SELECT (id, customer) ON shop.orders TO ddlsnap_fx_writer;
GRANT USAGE ON SEQUENCE shop.orders_id_seq TO ddlsnap_fx_writer;
GRANT TRUNCATE ON shop.orders TO PUBLIC;

CREATE VIEW shop.order_totals AS SELECT customer, sum(total) AS total FROM shop.orders GROUP BY customer;
GRANT SELECT ON shop.order_totals TO ddlsnap_fx_reader WITH GRANT OPTION;

CREATE FUNCTION shop.discount(numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 0.9';
REVOKE EXECUTE ON FUNCTION shop.discount(numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shop.discount(numeric) TO ddlsnap_fx_writer;

CREATE SEQUENCE shop.tickets;
GRANT SELECT, USAGE ON SEQUENCE shop.tickets TO ddlsnap_fx_reader;
