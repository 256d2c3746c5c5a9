-- Partitioning: RANGE, LIST and HASH keys (several columns, an expression,
-- an operator class, a collation), bounds with MINVALUE / MAXVALUE, NULL in
-- a list, a DEFAULT partition, two levels. Each partition is written as
-- its own CREATE TABLE and attached from its own text (ALTER TABLE ONLY
-- parent ATTACH PARTITION). The parent's PRIMARY KEY, UNIQUE constraints
-- and indexes (CREATE INDEX ON ONLY parent) reach each partition as the
-- partition's own index, attached with ALTER INDEX ... ATTACH PARTITION;
-- its foreign keys and CHECK constraints are the parent's alone. Tricky
-- cases: a partition attached after being created alone, with another
-- column order, an index name of its own and no default where the parent
-- has one; a partition's own index, CHECK constraint, foreign key and
-- storage parameters; a serial column and a generated column in the
-- partitioned table; a foreign key that references a partitioned table; a
-- NOT VALID check of the partitioned table.
CREATE SCHEMA part;

CREATE TABLE part.customer (id integer PRIMARY KEY, name text);

CREATE TABLE part.orders (
    id bigserial,
    placed date NOT NULL,
    customer_id integer REFERENCES part.customer (id),
    amount numeric DEFAULT 0 CHECK (amount >= 0),
    taxed numeric GENERATED ALWAYS AS (amount * 1.2) STORED,
    region text COLLATE "C",
    CONSTRAINT orders_pkey PRIMARY KEY (id, placed),
    CONSTRAINT orders_region_key UNIQUE (region, placed, id)
) PARTITION BY RANGE (placed);
CREATE INDEX orders_customer_idx ON part.orders (customer_id) WHERE amount > 0;
CREATE INDEX orders_lower_region_idx ON part.orders (lower(region));
COMMENT ON TABLE part.orders IS 'all orders';

CREATE TABLE part.orders_old PARTITION OF part.orders
    FOR VALUES FROM (MINVALUE) TO ('2020-01-01');
CREATE TABLE part.orders_2024 PARTITION OF part.orders
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') WITH (fillfactor = 90);
CREATE INDEX orders_2024_amount_idx ON part.orders_2024 (amount);
ALTER TABLE part.orders_2024 ADD CONSTRAINT orders_2024_recent CHECK (placed > '2023-12-31');
COMMENT ON TABLE part.orders_2024 IS 'this year';

-- created alone: other column order, own index names, no defaults
CREATE TABLE part.orders_2025 (
    region text COLLATE "C",
    taxed numeric GENERATED ALWAYS AS (amount * 1.2) STORED,
    amount numeric CONSTRAINT orders_amount_check CHECK (amount >= 0),
    customer_id integer,
    placed date NOT NULL,
    id bigint NOT NULL
);
ALTER TABLE part.orders_2025 ADD CONSTRAINT orders_2025_pk PRIMARY KEY (id, placed);
CREATE INDEX orders_2025_by_customer ON part.orders_2025 (customer_id) WHERE amount > 0;
ALTER TABLE part.orders_2025 ADD CONSTRAINT orders_2025_customer_fkey
    FOREIGN KEY (customer_id) REFERENCES part.customer (id) ON DELETE CASCADE;
ALTER TABLE part.orders ATTACH PARTITION part.orders_2025
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

-- a partition partitioned in turn, with a DEFAULT partition below it
CREATE TABLE part.orders_later PARTITION OF part.orders
    FOR VALUES FROM ('2026-01-01') TO (MAXVALUE) PARTITION BY RANGE (placed);
CREATE TABLE part.orders_later_2026 PARTITION OF part.orders_later
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE part.orders_later_rest PARTITION OF part.orders_later DEFAULT;
CREATE INDEX orders_later_amount_idx ON part.orders_later (amount);

-- a DEFAULT partition of the top level
CREATE TABLE part.orders_between PARTITION OF part.orders DEFAULT;

-- a NOT VALID check reaches the partitions there are as NOT VALID; one
-- attached afterwards must have it already, valid
ALTER TABLE part.orders ADD CONSTRAINT orders_placed_check CHECK (placed > '1900-01-01') NOT VALID;
CREATE TABLE part.orders_2023 (LIKE part.orders INCLUDING DEFAULTS INCLUDING GENERATED,
    CONSTRAINT orders_amount_check CHECK (amount >= 0),
    CONSTRAINT orders_placed_check CHECK (placed > '1900-01-01'));
ALTER TABLE part.orders ATTACH PARTITION part.orders_2023
    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');

-- a foreign key referencing a partitioned table
CREATE TABLE part.shipment (
    order_id bigint,
    order_placed date,
    FOREIGN KEY (order_id, order_placed) REFERENCES part.orders (id, placed)
);

-- HASH and RANGE keys with several columns, an expression, an operator
-- class and a collation
CREATE TABLE part.visit (
    host text,
    path text,
    at timestamptz NOT NULL
) PARTITION BY HASH (host text_pattern_ops, (lower(path)));
CREATE TABLE part.visit_0 PARTITION OF part.visit FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE part.visit_1 PARTITION OF part.visit FOR VALUES WITH (MODULUS 2, REMAINDER 1);

CREATE TABLE part.label (code text, lang text) PARTITION BY RANGE (code COLLATE "C", lang);
CREATE TABLE part.label_a PARTITION OF part.label FOR VALUES FROM ('a', MINVALUE) TO ('b', 'en');
CREATE TABLE part.tag (name text, kind text) PARTITION BY LIST (kind);
CREATE TABLE part.tag_named PARTITION OF part.tag FOR VALUES IN ('a', 'b');
CREATE TABLE part.tag_none PARTITION OF part.tag FOR VALUES IN (NULL);
