-- Row level security: ENABLE and FORCE apart and together, policies
-- permissive and restrictive, for each command, for several roles (PUBLIC
-- among them) or PUBLIC alone, with USING, WITH CHECK or both, a policy on
-- a table whose security is not enabled, policies on a partitioned table,
-- a comment on a policy, names that need quoting.
DO $$ BEGIN CREATE ROLE ddlsnap_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE "ddlsnap Writer"; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA rls;

CREATE TABLE rls.note (
    id integer PRIMARY KEY,
    owner name NOT NULL DEFAULT current_user,
    body text,
    public boolean NOT NULL DEFAULT false
);
ALTER TABLE rls.note ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls.note FORCE ROW LEVEL SECURITY;
CREATE POLICY note_owner ON rls.note USING (owner = current_user);
CREATE POLICY note_public_read ON rls.note FOR SELECT TO ddlsnap_reader, PUBLIC
    USING (public);
CREATE POLICY "Note Insert" ON rls.note FOR INSERT TO "ddlsnap Writer", ddlsnap_reader
    WITH CHECK (owner = current_user AND body IS NOT NULL);
CREATE POLICY note_update ON rls.note AS RESTRICTIVE FOR UPDATE TO "ddlsnap Writer"
    USING (owner = current_user) WITH CHECK (length(body) < 10000);
CREATE POLICY note_delete ON rls.note AS RESTRICTIVE FOR DELETE USING (NOT public);
COMMENT ON POLICY note_owner ON rls.note IS 'owners see their notes';

-- forced but not enabled; a policy that is not enforced yet
CREATE TABLE rls.forced_only (id integer);
ALTER TABLE rls.forced_only FORCE ROW LEVEL SECURITY;
CREATE TABLE rls.not_enabled (id integer);
CREATE POLICY not_enabled_all ON rls.not_enabled TO ddlsnap_reader USING (id > 0);

-- a partitioned table and a partition have their own policies
CREATE TABLE rls.ledger (id integer, at date, amount numeric) PARTITION BY RANGE (at);
ALTER TABLE rls.ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_positive ON rls.ledger USING (amount >= 0);
CREATE TABLE rls.ledger_2024 PARTITION OF rls.ledger FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE rls.ledger_2024 ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_2024_recent ON rls.ledger_2024 FOR SELECT USING (at > '2024-06-01');
