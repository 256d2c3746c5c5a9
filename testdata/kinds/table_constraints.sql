-- Constraints: CHECK (NO INHERIT, NOT VALID), PRIMARY KEY and UNIQUE with
-- INCLUDE, NULLS NOT DISTINCT and storage parameters, EXCLUDE with a WHERE
-- clause and storage parameters, foreign keys of every flavour (composite, deferrable, NOT VALID,
-- MATCH FULL, ON UPDATE/DELETE actions, SET NULL of some columns, to a
-- UNIQUE constraint, self-referencing, across schemas), names that need
-- quoting. Storage parameters are written sorted by name, the order in which
-- ddlsnap writes them (PostgreSQL keeps them in the order given).
CREATE SCHEMA cons;
CREATE SCHEMA other;

CREATE TABLE other.country (
    code char(2) PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE cons.customer (
    id integer NOT NULL,
    region text NOT NULL,
    email text,
    nick text,
    country char(2),
    note text,
    CONSTRAINT customer_pkey PRIMARY KEY (id, region) INCLUDE (email) WITH (fillfactor = 80),
    CONSTRAINT customer_email_key UNIQUE NULLS NOT DISTINCT (email),
    CONSTRAINT "Nick Unique" UNIQUE (nick) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT customer_country_fkey FOREIGN KEY (country) REFERENCES other.country (code)
        ON UPDATE CASCADE ON DELETE SET NULL,
    CONSTRAINT email_shape CHECK (email LIKE '%@%') NO INHERIT
);
ALTER TABLE cons.customer ADD CONSTRAINT note_short CHECK (length(note) < 1000) NOT VALID;
COMMENT ON CONSTRAINT email_shape ON cons.customer IS 'an address';

CREATE TABLE cons.booking (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id integer,
    customer_region text,
    room integer NOT NULL,
    during tsrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    parent_id bigint REFERENCES cons.booking (id) DEFERRABLE,
    country_name text,
    CONSTRAINT no_double_booking EXCLUDE USING gist (during WITH &&)
        WITH (buffering = on, fillfactor = 70) WHERE (NOT cancelled),
    CONSTRAINT one_per_room EXCLUDE USING btree (room WITH =) DEFERRABLE,
    CONSTRAINT booking_customer_fkey FOREIGN KEY (customer_id, customer_region)
        REFERENCES cons.customer (id, region) MATCH FULL ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE cons.booking ADD CONSTRAINT booking_country_name_fkey
    FOREIGN KEY (country_name) REFERENCES other.country (name) NOT VALID;
ALTER TABLE cons.booking ADD CONSTRAINT during_bounded
    CHECK (NOT (lower_inf(during) OR upper_inf(during)));

-- ON DELETE SET NULL of some of the key's columns (PostgreSQL 15)
CREATE TABLE cons.tenant (tenant_id integer, id integer, PRIMARY KEY (tenant_id, id));
CREATE TABLE cons.tenant_item (
    tenant_id integer NOT NULL,
    owner_id integer,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES cons.tenant ON DELETE SET NULL (owner_id)
);
