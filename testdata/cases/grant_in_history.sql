-- testdata/cases/grant_in_history.sql: GRANT in a change (found in supabase/auth's history,
-- docs/real-histories.md).
--
-- pgGit v1 does not record a lone GRANT, so here, as in a migration file, each GRANT travels
-- in one string with a recorded ALTER TABLE. Change 2 has a plain GRANT; change 3 a DO block
-- that enables row level security and grants, as supabase/auth's migration 20240612123726
-- does. The grantee is postgres, the superuser the tests run as. With incremental capture at
-- main f2390fc both failed: the capture's event trigger inserted a row with a NULL classid
-- into its table "touched" for the GRANT (pg_event_trigger_ddl_commands() gives a GRANT no
-- classid/objid): `null value in column "classid" of relation "touched" violates not-null
-- constraint` (fixed by a41dce3). tests/integration/real_histories.sh converts it.
-- Expected: 3 changes, 3 commits, no failure; the head tree equals `ddlsnap snapshot` of the
-- database where this file ran: public/table/users.sql has the columns phone and locale,
-- ALTER TABLE ONLY public.users ENABLE ROW LEVEL SECURITY and the GRANTs.

-- 1.
SET pggit_fixture.clock = '2024-08-01 10:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text
);

-- 2. A plain GRANT after a recorded ALTER.
SET pggit_fixture.clock = '2024-08-02 10:00:00';
ALTER TABLE users ADD COLUMN phone text \;
GRANT SELECT ON users TO postgres WITH GRANT OPTION;

-- 3. The same inside a DO block.
SET pggit_fixture.clock = '2024-08-03 10:00:00';
ALTER TABLE users ADD COLUMN locale text \;
DO $$
BEGIN
    ALTER TABLE users ENABLE ROW LEVEL SECURITY;
    GRANT UPDATE (email) ON users TO postgres;
END
$$;
