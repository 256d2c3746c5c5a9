-- testdata/cases/rename_drop.sql: renames and drops.
--
-- A table rename (pgGit v1 records an ALTER row on a new object under the new name; the old
-- one stays active in pggit.objects), a view rename, an index rename, a view drop, and a column
-- rename. pgGit v1 does not record a lone ALTER TABLE ... RENAME COLUMN, so here, as a
-- migration would, the rename travels in one string with an ALTER that is recorded; later
-- changes use the new names, so the history only replays if renames are replayed.
-- In the last snapshot: table products (columns id, label, quantity default 0) with key
-- products_pkey, views product_labels and low_stock; no table items, no views item_labels or
-- stock.
-- Expected: 9 changes, 9 commits, no failure.

-- 1.
SET pggit_fixture.clock = '2024-07-01 12:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE items (
    id integer PRIMARY KEY,
    label text NOT NULL,
    qty integer
);

-- 2.
SET pggit_fixture.clock = '2024-07-01 12:01:00';
CREATE VIEW item_labels AS SELECT id, label FROM items;

-- 3.
SET pggit_fixture.clock = '2024-07-01 12:02:00';
CREATE VIEW stock AS SELECT id, qty FROM items;

-- 4. Table rename: views follow it.
SET pggit_fixture.clock = '2024-07-02 12:00:00';
SET pggit_fixture."user" = 'bob';
ALTER TABLE items RENAME TO products;

-- 5. View rename.
SET pggit_fixture.clock = '2024-07-02 12:01:00';
ALTER VIEW item_labels RENAME TO product_labels;

-- 6. Index rename.
SET pggit_fixture.clock = '2024-07-02 12:02:00';
ALTER INDEX items_pkey RENAME TO products_pkey;

-- 7. View drop.
SET pggit_fixture.clock = '2024-07-03 12:00:00';
DROP VIEW stock;

-- 8. Column rename (plus a recorded ALTER in the same string).
SET pggit_fixture.clock = '2024-07-04 12:00:00';
SET pggit_fixture."user" = 'alice';
ALTER TABLE products RENAME COLUMN qty TO quantity \;
ALTER TABLE products ALTER COLUMN quantity SET DEFAULT 0;

-- 9. Uses the renamed table and column.
SET pggit_fixture.clock = '2024-07-05 12:00:00';
CREATE VIEW low_stock AS SELECT id, label FROM products WHERE quantity < 5;

RESET pggit_fixture.clock;
RESET pggit_fixture."user";
