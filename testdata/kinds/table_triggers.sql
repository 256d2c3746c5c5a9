-- Triggers and rules of tables: BEFORE / AFTER, row and statement level,
-- WHEN conditions, UPDATE OF columns, transition tables, arguments,
-- constraint triggers (deferrable), every enable state (DISABLE, ENABLE
-- REPLICA, ENABLE ALWAYS), triggers of a partitioned table cloned onto its
-- partitions, one clone with its own state; rules with conditions, DO
-- ALSO / DO INSTEAD, a disabled rule; comments on a trigger and a rule.
-- The internal triggers of foreign keys are not written.
CREATE SCHEMA trg;

CREATE FUNCTION trg.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed := now();
    RETURN NEW;
END
$$;
CREATE FUNCTION trg.log_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL;
END
$$;

CREATE TABLE trg.account (
    id integer PRIMARY KEY,
    owner text NOT NULL,
    balance numeric NOT NULL DEFAULT 0,
    changed timestamptz
);
CREATE TABLE trg.account_log (
    account_id integer REFERENCES trg.account (id),
    balance numeric,
    at timestamptz DEFAULT now()
);

CREATE TRIGGER account_stamp BEFORE INSERT OR UPDATE ON trg.account
    FOR EACH ROW EXECUTE FUNCTION trg.stamp();
CREATE TRIGGER "Balance Watch" AFTER UPDATE OF balance ON trg.account
    FOR EACH ROW WHEN (OLD.balance IS DISTINCT FROM NEW.balance)
    EXECUTE FUNCTION trg.log_statement('balance', 42);
CREATE TRIGGER account_batch AFTER INSERT ON trg.account
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION trg.log_statement();
CREATE TRIGGER account_truncate BEFORE TRUNCATE ON trg.account
    FOR EACH STATEMENT EXECUTE FUNCTION trg.log_statement();
CREATE CONSTRAINT TRIGGER account_check AFTER INSERT OR UPDATE ON trg.account
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION trg.log_statement();
CREATE TRIGGER account_disabled AFTER DELETE ON trg.account
    FOR EACH ROW EXECUTE FUNCTION trg.log_statement();
ALTER TABLE trg.account DISABLE TRIGGER account_disabled;
CREATE TRIGGER account_replica AFTER DELETE ON trg.account
    FOR EACH ROW EXECUTE FUNCTION trg.log_statement();
ALTER TABLE trg.account ENABLE REPLICA TRIGGER account_replica;
CREATE TRIGGER account_always AFTER DELETE ON trg.account
    FOR EACH ROW EXECUTE FUNCTION trg.log_statement();
ALTER TABLE trg.account ENABLE ALWAYS TRIGGER account_always;
COMMENT ON TRIGGER account_stamp ON trg.account IS 'keeps changed current';

CREATE RULE account_log_insert AS ON INSERT TO trg.account_log
    WHERE NEW.balance < 0 DO ALSO UPDATE trg.account SET changed = now() WHERE id = NEW.account_id;
CREATE RULE account_log_notify AS ON INSERT TO trg.account_log DO ALSO NOTIFY account_log;
CREATE RULE account_log_no_delete AS ON DELETE TO trg.account_log DO INSTEAD NOTHING;
CREATE RULE account_log_audit AS ON UPDATE TO trg.account_log
    DO ALSO INSERT INTO trg.account_log (account_id, balance) VALUES (OLD.account_id, OLD.balance);
ALTER TABLE trg.account_log DISABLE RULE account_log_audit;
COMMENT ON RULE account_log_no_delete ON trg.account_log IS 'append only';

-- triggers of a partitioned table are cloned onto its partitions; a
-- clone's state can be changed on the partition alone
CREATE TABLE trg.event (id integer, at date, changed timestamptz) PARTITION BY RANGE (at);
CREATE TABLE trg.event_2024 PARTITION OF trg.event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TRIGGER event_stamp BEFORE INSERT ON trg.event FOR EACH ROW EXECUTE FUNCTION trg.stamp();
CREATE TRIGGER event_audit AFTER INSERT ON trg.event FOR EACH ROW EXECUTE FUNCTION trg.log_statement();
ALTER TABLE trg.event DISABLE TRIGGER event_audit;
CREATE TABLE trg.event_2025 PARTITION OF trg.event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE trg.event_2025 ENABLE TRIGGER event_audit;
ALTER TABLE trg.event_2024 DISABLE TRIGGER event_stamp;

-- a partition whose name sorts before its parent's: the clone's state
-- must not depend on which of the two a checkout handles first
CREATE TABLE trg.zz_log (at date, changed timestamptz) PARTITION BY RANGE (at);
CREATE TABLE trg.aa_log_2024 PARTITION OF trg.zz_log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TRIGGER zz_log_stamp BEFORE INSERT ON trg.zz_log FOR EACH ROW EXECUTE FUNCTION trg.stamp();
ALTER TABLE trg.zz_log DISABLE TRIGGER zz_log_stamp;
CREATE TABLE trg.aa_log_2025 PARTITION OF trg.zz_log FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE trg.aa_log_2025 ENABLE ALWAYS TRIGGER zz_log_stamp;
