-- Most kinds of objects PostgreSQL has, with dependencies between them, for
-- tests/integration/checkout_pgdump.sh: pg_dump's own DDL of this database,
-- cut into one blob per pg_dump entry and committed with git plumbing, must
-- check out into a database that dumps the same. That holds the checkout's
-- phases and retries against every statement form pg_dump writes, whatever
-- capture supports yet. Run as a superuser into an empty database.
DO $$ BEGIN CREATE ROLE ddlsnap_rt_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE EXTENSION hstore WITH SCHEMA ext;
CREATE EXTENSION file_fdw;
COMMENT ON EXTENSION hstore IS 'key/value pairs';

CREATE SCHEMA shop;
CREATE SCHEMA audit;
COMMENT ON SCHEMA shop IS 'the shop';

-- types
CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped');
CREATE TYPE shop.money_pair AS (amount numeric, currency char(3));
CREATE TYPE shop.numrange2 AS RANGE (subtype = numeric);
CREATE FUNCTION shop.valid_sku(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT s ~ '^[A-Z]{3}-[0-9]+$' $$;
CREATE DOMAIN shop.sku AS ext.citext CHECK (shop.valid_sku(VALUE::text));
CREATE DOMAIN shop.positive AS numeric CONSTRAINT positive_check CHECK (VALUE > 0);
COMMENT ON DOMAIN shop.sku IS 'stock keeping unit';
CREATE COLLATION shop.bytes (locale = 'C');

-- functions, procedures, aggregates, operators, casts
CREATE FUNCTION shop.add_pair(a shop.money_pair, b shop.money_pair) RETURNS shop.money_pair
    LANGUAGE sql IMMUTABLE AS $$ SELECT ROW(a.amount + b.amount, a.currency)::shop.money_pair $$;
CREATE AGGREGATE shop.sum_pairs(shop.money_pair) (sfunc = shop.add_pair, stype = shop.money_pair);
CREATE OPERATOR shop.+ (leftarg = shop.money_pair, rightarg = shop.money_pair,
    function = shop.add_pair, commutator = OPERATOR(shop.+));
CREATE FUNCTION shop.pair_text(p shop.money_pair) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT p.amount || ' ' || p.currency $$;
CREATE CAST (shop.money_pair AS text) WITH FUNCTION shop.pair_text(shop.money_pair);
CREATE PROCEDURE audit.note(msg text) LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%', msg; END $$;
CREATE FUNCTION audit.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_at := now();
    RETURN NEW;
END
$$;
CREATE FUNCTION audit.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'ddl';
END
$$;

-- text search
CREATE TEXT SEARCH DICTIONARY shop.simple_dict (template = pg_catalog.simple, stopwords = english);
CREATE TEXT SEARCH CONFIGURATION shop.products (copy = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION shop.products
    ALTER MAPPING FOR asciiword WITH shop.simple_dict;

-- foreign data
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE USER MAPPING FOR ddlsnap_rt_reader SERVER files;
CREATE FOREIGN TABLE shop.price_list (sku text, price numeric)
    SERVER files OPTIONS (filename '/dev/null', format 'csv');

-- tables: identity, generated, serial, defaults calling functions, domains
CREATE TABLE shop.products (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku shop.sku NOT NULL UNIQUE,
    name text COLLATE shop.bytes NOT NULL,
    price shop.positive NOT NULL,
    attrs ext.hstore,
    search tsvector GENERATED ALWAYS AS (to_tsvector('shop.products'::regconfig, name)) STORED
);
CREATE TABLE shop.customers (
    id bigserial PRIMARY KEY,
    email ext.citext NOT NULL,
    referrer bigint REFERENCES shop.customers (id)
);
CREATE UNIQUE INDEX customers_email_idx ON shop.customers (email);
ALTER TABLE shop.customers REPLICA IDENTITY USING INDEX customers_email_idx;

-- partitioned table with partitions, a partitioned index and primary key,
-- a foreign key to and from it, a trigger on the parent
CREATE TABLE shop.orders (
    id bigint NOT NULL,
    placed date NOT NULL,
    customer_id bigint NOT NULL REFERENCES shop.customers (id),
    status shop.status NOT NULL DEFAULT 'new',
    total shop.money_pair,
    changed_at timestamptz,
    PRIMARY KEY (id, placed)
) PARTITION BY RANGE (placed);
CREATE TABLE shop.orders_2023 PARTITION OF shop.orders
    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE shop.orders_2024 PARTITION OF shop.orders
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE shop.orders_rest PARTITION OF shop.orders DEFAULT;
CREATE INDEX orders_status_idx ON shop.orders (status);
CREATE TRIGGER orders_stamp BEFORE UPDATE ON shop.orders
    FOR EACH ROW EXECUTE FUNCTION audit.stamp();
CREATE TABLE shop.order_lines (
    order_id bigint NOT NULL,
    placed date NOT NULL,
    product_id integer NOT NULL REFERENCES shop.products (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    FOREIGN KEY (order_id, placed) REFERENCES shop.orders (id, placed) ON DELETE CASCADE
);
ALTER TABLE shop.order_lines ALTER COLUMN quantity SET STATISTICS 500;

-- inheritance
CREATE TABLE audit.log (id bigserial, at timestamptz DEFAULT now(), msg text);
CREATE TABLE audit.log_errors (code integer) INHERITS (audit.log);

-- views, a view on a view, a materialized view with an index
CREATE VIEW shop.order_totals AS
    SELECT o.id, o.placed, sum(l.quantity * p.price) AS total
    FROM shop.orders AS o
    JOIN shop.order_lines AS l ON l.order_id = o.id AND l.placed = o.placed
    JOIN shop.products AS p ON p.id = l.product_id
    GROUP BY o.id, o.placed;
CREATE VIEW shop.big_orders WITH (security_barrier) AS
    SELECT * FROM shop.order_totals WHERE total > 100;
CREATE MATERIALIZED VIEW shop.daily AS
    SELECT placed, count(*) AS orders FROM shop.orders GROUP BY placed WITH NO DATA;
CREATE UNIQUE INDEX daily_placed_idx ON shop.daily (placed);

-- rules, policies, row level security, statistics, publication
CREATE RULE log_errors_no_delete AS ON DELETE TO audit.log_errors DO INSTEAD NOTHING;
ALTER TABLE shop.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON shop.customers FOR SELECT TO ddlsnap_rt_reader
    USING (email = current_user::ext.citext);
CREATE STATISTICS shop.lines_stats (dependencies) ON order_id, product_id FROM shop.order_lines;
CREATE PUBLICATION shop_pub FOR TABLE shop.products, shop.customers;

-- event trigger
CREATE EVENT TRIGGER note_ddl ON ddl_command_end EXECUTE FUNCTION audit.on_ddl();
ALTER EVENT TRIGGER note_ddl DISABLE;

-- comments and privileges
COMMENT ON TABLE shop.orders IS 'orders, partitioned by year';
COMMENT ON COLUMN shop.products.sku IS 'see shop.sku';
COMMENT ON INDEX shop.orders_status_idx IS 'open orders';
COMMENT ON TRIGGER orders_stamp ON shop.orders IS 'keeps changed_at';
COMMENT ON EVENT TRIGGER note_ddl IS 'for tests';
GRANT USAGE ON SCHEMA shop TO ddlsnap_rt_reader;
GRANT SELECT ON shop.products, shop.order_totals TO ddlsnap_rt_reader;
GRANT SELECT (id, email) ON shop.customers TO ddlsnap_rt_reader;
REVOKE EXECUTE ON FUNCTION shop.valid_sku(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shop.valid_sku(text) TO ddlsnap_rt_reader;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT SELECT ON TABLES TO ddlsnap_rt_reader;
