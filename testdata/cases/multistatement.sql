-- testdata/cases/multistatement.sql: a migration sent as one multi-statement string.
--
-- Change 2 is what a migration tool does with a file: send it whole, as one query string, with
-- its own BEGIN and COMMIT and some DML (an INSERT). pgGit v1 gives every row of it (TABLE,
-- INDEX, ALTER, ...) the whole string as sql_executed. A converter must run it once, leave
-- transaction control to itself (the BEGIN/COMMIT inside the string are not to be executed as
-- such), and treat the INSERT as data, not schema. Changes 1 and 3 are ordinary single
-- statements around it.
-- Expected: 3 changes, 3 commits, no failure; the ledger table, its index and the accounts
-- column added by change 2 are all in the commit of change 2.

-- 1. One table.
SET pggit_fixture.clock = '2024-05-01 08:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    name text NOT NULL
);

-- 2. One string, six statements.
SET pggit_fixture.clock = '2024-05-02 08:00:00';
SET pggit_fixture."user" = 'bob';
BEGIN \;
CREATE TABLE ledger (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id),
    amount_cents bigint NOT NULL,
    booked_at timestamptz NOT NULL DEFAULT now()
) \;
INSERT INTO accounts (id, name) VALUES (1, 'cash'), (2, 'bank') \;
CREATE INDEX ledger_account_id_idx ON ledger (account_id, booked_at) \;
ALTER TABLE accounts ADD COLUMN closed boolean NOT NULL DEFAULT false \;
COMMIT;

-- 3. A view over both.
SET pggit_fixture.clock = '2024-05-03 08:00:00';
SET pggit_fixture."user" = 'alice';
CREATE VIEW balances AS
    SELECT a.id, a.name, coalesce(sum(l.amount_cents), 0) AS balance_cents
    FROM accounts AS a
    LEFT JOIN ledger AS l ON l.account_id = a.id
    WHERE NOT a.closed
    GROUP BY a.id, a.name;

RESET pggit_fixture.clock;
RESET pggit_fixture."user";
