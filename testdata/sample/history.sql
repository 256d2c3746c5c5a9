-- testdata/sample/history.sql: the bundled demo history.
--
-- "shop": the schema of a small web shop (customers, products, orders, invoices) over its first
-- half year, changed by three developers: alice (lead), bob (backend) and carol (reporting).
-- Each change is one query string sent by psql, preceded by the fixture clock and author it was
-- made with, so the recorded pggit.history has fixed dates and several authors.
--
-- Load it into a database holding the pgGit v1 fixture (tests/harness/pg.sh):
--     v1_createdb shop && v1_load shop testdata/sample/history.sql
--
-- Every change is recorded by the fixture in its default (pgGit v1) mode, so the history replays
-- from pggit.history alone: group consecutive rows with the same sql_executed, in
-- (created_at, id) order, and run each group once on an empty database. What pgGit would not
-- record on its own (a sequence) is created in the same query string as a table it records.
--
-- It covers: tables with identity, serial and bigserial keys, defaults and CHECK constraints,
-- foreign keys, a unique expression index and a partial index, views (one on top of another,
-- one replaced), SQL functions (BEGIN ATOMIC and string body) and a plpgsql function, a table
-- rename, columns added and dropped, a dropped view and a dropped table, and one migration sent
-- as a single multi-statement string with its own BEGIN/COMMIT, a sequence and an INSERT.

-- 1. alice: customers, with an identity key.
SET pggit_fixture.clock = '2024-01-08 09:14:05';
SET pggit_fixture."user" = 'alice';
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    full_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- 2. alice: one account per e-mail address, whatever its case.
SET pggit_fixture.clock = '2024-01-08 09:31:47';
CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));

-- 3. bob: the catalogue.
SET pggit_fixture.clock = '2024-01-10 14:02:19';
SET pggit_fixture."user" = 'bob';
CREATE TABLE products (
    id serial PRIMARY KEY,
    sku text NOT NULL UNIQUE,
    name text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    active boolean NOT NULL DEFAULT true
);

-- 4. bob: what the shop front lists.
SET pggit_fixture.clock = '2024-01-10 14:40:03';
CREATE VIEW product_list AS
    SELECT id, sku, name, price_cents
    FROM products
    WHERE active;

-- 5. alice: orders.
SET pggit_fixture.clock = '2024-01-15 10:45:30';
SET pggit_fixture."user" = 'alice';
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status text NOT NULL DEFAULT 'new'
        CONSTRAINT orders_status_check CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
    placed_at timestamptz NOT NULL DEFAULT now()
);

-- 6. alice: order lines.
SET pggit_fixture.clock = '2024-01-15 10:52:12';
CREATE TABLE order_items (
    order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id integer NOT NULL REFERENCES products (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
    PRIMARY KEY (order_id, product_id)
);

-- 7. bob: a customer's orders.
SET pggit_fixture.clock = '2024-02-02 16:10:44';
SET pggit_fixture."user" = 'bob';
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

-- 8. bob: the open orders the warehouse looks at all day (partial index).
SET pggit_fixture.clock = '2024-02-02 16:12:09';
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status IN ('new', 'paid');

-- 9. carol: an order's total (SQL function with a BEGIN ATOMIC body).
SET pggit_fixture.clock = '2024-02-20 11:00:00';
SET pggit_fixture."user" = 'carol';
CREATE FUNCTION order_total(p_order_id bigint) RETURNS bigint
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT coalesce(sum(quantity::bigint * unit_price_cents), 0)
    FROM order_items
    WHERE order_id = p_order_id;
END;

-- 10. carol: totals per order.
SET pggit_fixture.clock = '2024-02-20 11:06:51';
CREATE VIEW order_totals AS
    SELECT o.id AS order_id, o.customer_id, o.status, o.placed_at,
           order_total(o.id) AS total_cents
    FROM orders AS o;

-- 11. carol: revenue per customer, on top of order_totals.
SET pggit_fixture.clock = '2024-03-05 09:30:27';
CREATE VIEW customer_revenue AS
    SELECT c.id AS customer_id, c.email,
           count(t.order_id) AS orders,
           coalesce(sum(t.total_cents), 0) AS revenue_cents
    FROM customers AS c
    LEFT JOIN order_totals AS t ON t.customer_id = c.id AND t.status <> 'cancelled'
    GROUP BY c.id, c.email;

-- 12. bob: phone numbers for the couriers.
SET pggit_fixture.clock = '2024-03-18 13:40:02';
SET pggit_fixture."user" = 'bob';
ALTER TABLE customers ADD COLUMN phone text;

-- 13. bob: reject obviously broken addresses.
SET pggit_fixture.clock = '2024-03-18 13:41:15';
ALTER TABLE customers ADD CONSTRAINT customers_email_check CHECK (position('@' IN email) > 1);

-- 14. alice: cancelling an order (plpgsql).
SET pggit_fixture.clock = '2024-04-02 15:20:33';
SET pggit_fixture."user" = 'alice';
CREATE FUNCTION cancel_order(p_order_id bigint) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE orders SET status = 'cancelled'
    WHERE id = p_order_id AND status IN ('new', 'paid');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'order % cannot be cancelled', p_order_id;
    END IF;
END
$$;

-- 15. bob: product reviews.
SET pggit_fixture.clock = '2024-04-10 10:00:41';
SET pggit_fixture."user" = 'bob';
CREATE TABLE reviews (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    product_id integer NOT NULL REFERENCES products (id),
    customer_id bigint NOT NULL REFERENCES customers (id),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (product_id, customer_id)
);

-- 16. alice: "items" was ambiguous; they are order lines.
SET pggit_fixture.clock = '2024-04-22 17:05:00';
SET pggit_fixture."user" = 'alice';
ALTER TABLE order_items RENAME TO order_lines;

-- 17. alice: invoices, as one migration file sent in one string (its own transaction, a
-- sequence pgGit would not record alone, and an INSERT back-filling paid orders).
SET pggit_fixture.clock = '2024-05-06 09:00:12';
BEGIN \;
CREATE SEQUENCE invoice_number_seq START WITH 10001 \;
CREATE TABLE invoices (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('invoice_number_seq') UNIQUE,
    order_id bigint NOT NULL UNIQUE REFERENCES orders (id),
    issued_on date NOT NULL DEFAULT current_date,
    amount_cents bigint NOT NULL CHECK (amount_cents >= 0)
) \;
ALTER SEQUENCE invoice_number_seq OWNED BY invoices.number \;
INSERT INTO invoices (order_id, amount_cents)
    SELECT id, order_total(id) FROM orders WHERE status IN ('paid', 'shipped') ORDER BY id \;
CREATE INDEX invoices_issued_on_idx ON invoices (issued_on) \;
COMMIT;

-- 18. carol: show the invoice number next to each order total (new column at the end).
SET pggit_fixture.clock = '2024-05-20 14:15:38';
SET pggit_fixture."user" = 'carol';
CREATE OR REPLACE VIEW order_totals AS
    SELECT o.id AS order_id, o.customer_id, o.status, o.placed_at,
           order_total(o.id) AS total_cents,
           i.number AS invoice_number
    FROM orders AS o
    LEFT JOIN invoices AS i ON i.order_id = o.id;

-- 19. bob: the shop front now queries products itself.
SET pggit_fixture.clock = '2024-06-03 11:30:00';
SET pggit_fixture."user" = 'bob';
DROP VIEW product_list;

-- 20. bob: products are discontinued on a date rather than switched off...
SET pggit_fixture.clock = '2024-06-03 11:34:26';
ALTER TABLE products ADD COLUMN discontinued_on date;

-- 21. bob: ...and the old flag goes.
SET pggit_fixture.clock = '2024-06-04 08:55:10';
ALTER TABLE products DROP COLUMN active;

-- 22. carol: best sellers (SQL function with a string body and a default argument).
SET pggit_fixture.clock = '2024-06-17 16:20:05';
SET pggit_fixture."user" = 'carol';
CREATE FUNCTION top_products(p_limit integer DEFAULT 10)
    RETURNS TABLE (product_id integer, units bigint)
    LANGUAGE sql STABLE
AS $$
    SELECT l.product_id, sum(l.quantity)::bigint AS units
    FROM order_lines AS l
    JOIN orders AS o ON o.id = l.order_id
    WHERE o.status <> 'cancelled'
    GROUP BY l.product_id
    ORDER BY units DESC, l.product_id
    LIMIT p_limit
$$;

-- 23. alice: reviews moved to a separate service.
SET pggit_fixture.clock = '2024-07-01 10:12:45';
SET pggit_fixture."user" = 'alice';
DROP TABLE reviews;

-- 24. bob: top_products scans order lines by product.
SET pggit_fixture.clock = '2024-07-08 09:03:58';
SET pggit_fixture."user" = 'bob';
CREATE INDEX order_lines_product_id_idx ON order_lines (product_id);

RESET pggit_fixture.clock;
RESET pggit_fixture."user";
