-- Publications (database-wide, %global/publication/). Tricky cases:
--   - FOR ALL TABLES, with only some actions published;
--   - column lists given out of column order (PostgreSQL keeps them by column
--     number) and names that need quoting;
--   - row filters: operators, and a function call (which needs the filter's
--     own parentheses; only immutable built-in functions are allowed);
--   - TABLES IN SCHEMA together with a table of another schema, and with a
--     table of that same schema that has a row filter;
--   - tables added one by one with ALTER PUBLICATION, not in name order;
--   - an inheritance parent published with its children, one child removed
--     again: the capture writes TABLE ONLY, so the removed child stays out;
--   - publish_via_partition_root, publish = '' (nothing), SET after CREATE;
--   - a publication with no tables yet, and one whose table was dropped;
--   - a comment and a name that needs quoting.
CREATE SCHEMA shop;
CREATE SCHEMA "Stats";
CREATE SCHEMA staging;

CREATE TABLE shop.orders (
    id integer PRIMARY KEY,
    "Customer" text,
    total numeric,
    visible boolean
);
CREATE TABLE shop.items (id integer PRIMARY KEY, order_id integer, sku text);
CREATE TABLE "Stats"."Daily" (day date PRIMARY KEY, n integer);
CREATE TABLE staging.raw (id integer);
CREATE TABLE staging.tmp (id integer);

CREATE TABLE shop.events (id integer, at timestamptz);
CREATE TABLE shop.events_2024 () INHERITS (shop.events);
CREATE TABLE shop.events_2025 () INHERITS (shop.events);

CREATE PUBLICATION everything FOR ALL TABLES WITH (publish = 'insert, update');

CREATE PUBLICATION "Orders Feed"
    FOR TABLE shop.orders (visible, total, id, "Customer") WHERE (total > 100 AND visible)
    WITH (publish = 'insert');
ALTER PUBLICATION "Orders Feed" ADD TABLE shop.items (sku, id) WHERE (starts_with(sku, 'A'));
ALTER PUBLICATION "Orders Feed" ADD TABLE "Stats"."Daily" WHERE (n > 0);

CREATE PUBLICATION by_schema FOR TABLES IN SCHEMA staging, "Stats", TABLE shop.items
    WITH (publish_via_partition_root = true);

CREATE PUBLICATION mixed FOR TABLES IN SCHEMA staging;
ALTER PUBLICATION mixed ADD TABLE staging.raw WHERE (id > 1);

CREATE PUBLICATION history FOR TABLE shop.events;
ALTER PUBLICATION history DROP TABLE shop.events_2024;

CREATE PUBLICATION silent WITH (publish = '');
CREATE PUBLICATION later;
ALTER PUBLICATION later SET (publish = 'truncate', publish_via_partition_root = true);

CREATE PUBLICATION emptied FOR TABLE staging.tmp;
DROP TABLE staging.tmp;

COMMENT ON PUBLICATION "Orders Feed" IS 'orders over 100';
