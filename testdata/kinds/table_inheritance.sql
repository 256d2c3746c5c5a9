-- Inheritance (not partitioning): a child is written with INHERITS (its
-- parents in inhseqno order) and only what is its own: local columns (a
-- column declared both locally and by a parent is local), local CHECK
-- constraints, and what differs from what it would inherit: a default of
-- its own or none at all, a NOT NULL its parents do not have, storage and
-- compression other than the parent's (which CREATE TABLE ... INHERITS
-- copies). Tricky cases: two parents sharing a column, a column added to
-- a parent after its child, a grandchild, NO INHERIT and NOT VALID
-- constraints, a child attached with ALTER TABLE ... INHERIT, serial,
-- identity and generated columns in the parent, a storage change made on
-- the parent alone.
-- A NOT VALID constraint reaches the children that exist when it is added
-- as NOT VALID, but a child created afterwards gets a valid copy: there is
-- one of each.
--
-- Not here because no DDL can rebuild it (pg_dump cannot either): a column
-- added to a parent after a child that has columns of its own (the child
-- has it last; INHERITS puts the parents' columns first).
CREATE SCHEMA inh;

CREATE TABLE inh.base (
    id serial,
    kind text NOT NULL DEFAULT 'base',
    label text COLLATE "C",
    weight numeric DEFAULT 1,
    doubled numeric GENERATED ALWAYS AS (weight * 2) STORED,
    note text,
    ident integer GENERATED ALWAYS AS IDENTITY,
    CONSTRAINT base_pkey PRIMARY KEY (id),
    CONSTRAINT base_weight_check CHECK (weight >= 0),
    CONSTRAINT base_only CHECK (kind <> '') NO INHERIT
);
ALTER TABLE inh.base ALTER COLUMN note SET STORAGE EXTERNAL;
ALTER TABLE inh.base ALTER COLUMN label SET COMPRESSION pglz;
ALTER TABLE inh.base ADD COLUMN added_late date DEFAULT '2024-01-01';
ALTER TABLE inh.base ADD CONSTRAINT base_late_check CHECK (added_late > '2000-01-01') NOT VALID;

CREATE TABLE inh.tagged (
    tags text[] NOT NULL DEFAULT '{}',
    label text COLLATE "C",
    CONSTRAINT tagged_tags_check CHECK (cardinality(tags) < 10)
);

-- two parents; label comes from both and is declared locally too
CREATE TABLE inh.item (
    sku text NOT NULL,
    label text COLLATE "C" DEFAULT 'unnamed',
    price numeric,
    CONSTRAINT item_pkey PRIMARY KEY (id),
    CONSTRAINT base_weight_check CHECK (weight >= 0),
    CONSTRAINT item_price_check CHECK (price > 0)
) INHERITS (inh.base, inh.tagged);

-- what the child changes on inherited columns
ALTER TABLE inh.item ALTER COLUMN kind SET DEFAULT 'item';
ALTER TABLE ONLY inh.item ALTER COLUMN weight DROP DEFAULT;
ALTER TABLE inh.item ALTER COLUMN note SET NOT NULL;
ALTER TABLE inh.item ALTER COLUMN note SET STORAGE MAIN;
ALTER TABLE inh.item ALTER COLUMN weight SET STATISTICS 200;

-- after the children exist: a storage change that reaches the parent alone,
-- a NOT VALID check that reaches them as NOT VALID
ALTER TABLE ONLY inh.base ALTER COLUMN kind SET STORAGE MAIN;
ALTER TABLE inh.base ADD CONSTRAINT base_kind_check CHECK (kind <> 'none') NOT VALID;

-- a grandchild with no columns of its own
CREATE TABLE inh.special_item () INHERITS (inh.item);
ALTER TABLE inh.special_item ALTER COLUMN sku SET DEFAULT 'special';
-- a column added to the parent afterwards: last in the parent and in its child
ALTER TABLE inh.item ADD COLUMN restock date;

-- a table that joined its parent afterwards, its columns in the parent's order
CREATE TABLE inh.joined (
    tags text[] NOT NULL,
    label text COLLATE "C",
    extra boolean,
    CONSTRAINT tagged_tags_check CHECK (cardinality(tags) < 10)
);
ALTER TABLE inh.joined INHERIT inh.tagged;
COMMENT ON TABLE inh.joined IS 'inherits since later';
