-- testdata/cases/lossy.sql: a history that lost things, as real v1 histories do.
--
-- 1. A table that predates pgGit: created while pgGit's event triggers were off, so the
--    history never CREATEs it; change 3 ALTERs it (plan: never_created; replay fails:
--    the table does not exist in the shadow).
-- 2. A lone CREATE TYPE, which v1 does not record; change 4 uses the type (replay fails).
-- 3. A row edited by hand: created_by is NULL (plan: missing_field).
-- 4. A view dropped and created again (plan: created_again).
-- A baseline (testdata/cases/lossy_baseline.sql) holds the table and the type: converted
-- with --baseline, nothing fails.

ALTER EVENT TRIGGER pggit_ddl_trigger DISABLE;
ALTER EVENT TRIGGER pggit_drop_trigger DISABLE;
CREATE TABLE legacy_accounts (id integer PRIMARY KEY, owner text);
ALTER EVENT TRIGGER pggit_ddl_trigger ENABLE;
ALTER EVENT TRIGGER pggit_drop_trigger ENABLE;

SET pggit_fixture.clock = '2024-07-01 09:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE invoices (id integer PRIMARY KEY, total numeric NOT NULL);

SET pggit_fixture.clock = '2024-07-02 09:00:00';
CREATE TYPE invoice_state AS ENUM ('draft', 'sent', 'paid');

SET pggit_fixture.clock = '2024-07-03 09:00:00';
ALTER TABLE legacy_accounts ADD COLUMN closed_on date;

SET pggit_fixture.clock = '2024-07-04 09:00:00';
ALTER TABLE invoices ADD COLUMN state invoice_state NOT NULL DEFAULT 'draft';

SET pggit_fixture.clock = '2024-07-05 09:00:00';
SET pggit_fixture."user" = 'bob';
CREATE VIEW open_invoices AS SELECT id, total FROM invoices;

SET pggit_fixture.clock = '2024-07-06 09:00:00';
DROP VIEW open_invoices;

SET pggit_fixture.clock = '2024-07-07 09:00:00';
CREATE VIEW open_invoices AS SELECT id, total, state FROM invoices WHERE state <> 'paid';

RESET pggit_fixture.clock;
RESET pggit_fixture."user";
UPDATE pggit.history SET created_by = NULL
WHERE id = (SELECT min(id) FROM pggit.history WHERE sql_executed LIKE 'DROP VIEW%');
