-- The v2 store: git objects, the commit graph and refs in PostgreSQL, plus
-- the audit trail. Object ids are git's SHA-1 (40 lowercase hex digits), so
-- the same id names the object here and in the git repository. Every
-- statement is idempotent: installing into a store that exists changes
-- nothing.
CREATE SCHEMA IF NOT EXISTS pggit_v2;
CREATE SCHEMA IF NOT EXISTS pggit_audit;

CREATE TABLE IF NOT EXISTS pggit_v2.objects (
    sha     text PRIMARY KEY CHECK (sha ~ '^[0-9a-f]{40}$'),
    type    text NOT NULL CHECK (type IN ('blob', 'tree', 'commit', 'tag')),
    size    integer NOT NULL CHECK (size >= 0),
    content bytea NOT NULL  -- the object body, without git's header
);

-- Bodies are compressed with lz4 where the server has it (PostgreSQL 14 and
-- later, built with lz4): every commit stores a new root tree, 40 kB with
-- 1,000 tenant schemas, and pglz spends about three times lz4's time on it
-- for the same size (docs/benchmarks.md). Bodies already stored keep their
-- compression. A server without lz4, or a store this role does not own,
-- keeps pglz.
DO $$
BEGIN
    -- nested: the condition is one statement, and before 14 it would not
    -- parse (no attcompression)
    IF pg_catalog.current_setting('server_version_num')::integer >= 140000 THEN
        IF (SELECT a.attcompression <> 'l'
              FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = 'pggit_v2.objects'::pg_catalog.regclass
               AND a.attname = 'content') THEN
            ALTER TABLE pggit_v2.objects ALTER COLUMN content SET COMPRESSION lz4;
        END IF;
    END IF;
EXCEPTION WHEN feature_not_supported OR insufficient_privilege THEN
    NULL;
END
$$;

-- The entries of every tree, as rows: a view over the tree objects' bodies,
-- which hold them ("<mode> <name>\0<20-byte SHA-1>" each, git's format), so
-- that a commit writes its new root tree once, not once more as one row per
-- schema (docs/architecture.md, "The v2 store"). The columns are those of
-- pgGit's v2 sketch. Reading one tree's entries (tree_sha = ...) parses that
-- tree alone.
CREATE OR REPLACE FUNCTION pggit_v2.tree_body_entries(body bytea)
    RETURNS TABLE (path text, mode text, object_sha text)
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    COST 1000 ROWS 20
AS $$
DECLARE
    -- a copy in memory: the stored body is TOASTed, and each substring of
    -- it would be fetched (and decompressed from its start) again
    tree bytea := body || pg_catalog.decode('', 'hex');
    nul_byte constant bytea := pg_catalog.decode('00', 'hex');
    space constant bytea := pg_catalog.decode('20', 'hex');
    pos integer := 1;
    n integer := pg_catalog.length(tree);
    head bytea;
    sp integer;
    nul integer;
BEGIN
    WHILE pos <= n LOOP
        -- a window, so a long tree is not copied once per entry
        head := pg_catalog.substring(tree, pos, 1024);
        nul := pg_catalog.position(head, nul_byte);
        IF nul = 0 THEN
            head := pg_catalog.substring(tree, pos);
            nul := pg_catalog.position(head, nul_byte);
        END IF;
        sp := pg_catalog.position(head, space);
        IF sp < 2 OR nul = 0 OR sp + 1 >= nul OR pos + nul + 19 > n THEN
            RAISE EXCEPTION 'not a git tree body: malformed entry at byte %', pos;
        END IF;
        mode := pg_catalog.convert_from(pg_catalog.substring(head, 1, sp - 1), 'SQL_ASCII');
        -- names are stored as the converter received them, in the
        -- database's encoding (as the COPY into the old table stored them)
        path := pg_catalog.convert_from(pg_catalog.substring(head, sp + 1, nul - sp - 1),
                                        pg_catalog.getdatabaseencoding());
        IF mode NOT IN ('40000', '100644') OR pg_catalog.strpos(path, '/') > 0 THEN
            RAISE EXCEPTION 'not a tree ddlsnap writes: entry "%" has mode %', path, mode;
        END IF;
        object_sha := pg_catalog.encode(pg_catalog.substring(tree, pos + nul, 20), 'hex');
        RETURN NEXT;
        pos := pos + nul + 20;
    END LOOP;
END
$$;

-- Stores written before tree_entries was a view have it as a table. Its
-- rows are what the tree bodies hold; it is replaced (its SELECT grants
-- kept) only when it holds exactly that, and otherwise left alone with an
-- error that says so.
DO $$
DECLARE
    differ bigint;
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_class AS c
               JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
               WHERE n.nspname = 'pggit_v2' AND c.relname = 'tree_entries'
                 AND c.relkind = 'r') THEN
        WITH parsed AS MATERIALIZED (
            SELECT o.sha AS tree_sha, e.path, e.mode, e.object_sha
            FROM pggit_v2.objects AS o, pggit_v2.tree_body_entries(o.content) AS e
            WHERE o.type = 'tree'
        )
        SELECT count(*) INTO differ FROM (
            (SELECT tree_sha, path, mode, object_sha FROM pggit_v2.tree_entries
             EXCEPT ALL SELECT * FROM parsed)
            UNION ALL
            (SELECT * FROM parsed
             EXCEPT ALL SELECT tree_sha, path, mode, object_sha FROM pggit_v2.tree_entries)) AS d;
        IF differ > 0 THEN
            RAISE EXCEPTION 'pggit_v2.tree_entries differs from the tree objects in % rows', differ
                USING HINT = 'The table was left as it is. Its rows that no tree holds: '
                    'SELECT tree_sha, path FROM pggit_v2.tree_entries EXCEPT SELECT o.sha, e.path'
                    ' FROM pggit_v2.objects AS o, pggit_v2.tree_body_entries(o.content) AS e'
                    ' WHERE o.type = ''tree''';
        END IF;
        CREATE TEMP TABLE ddlsnap_tree_entries_readers AS
        SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                             ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee))
                        END AS grantee
        FROM pg_catalog.pg_class AS c, pg_catalog.aclexplode(c.relacl) AS a
        WHERE c.oid = 'pggit_v2.tree_entries'::pg_catalog.regclass
            AND a.privilege_type = 'SELECT' AND a.grantee <> c.relowner;
        DROP TABLE pggit_v2.tree_entries;
    END IF;
END
$$;

CREATE OR REPLACE VIEW pggit_v2.tree_entries AS
SELECT o.sha AS tree_sha, e.path, e.mode, e.object_sha
FROM pggit_v2.objects AS o
CROSS JOIN LATERAL pggit_v2.tree_body_entries(o.content) AS e
WHERE o.type = 'tree';

-- who could read the table replaced above can read the view
DO $$
DECLARE
    grantee text;
BEGIN
    IF pg_catalog.to_regclass('pg_temp.ddlsnap_tree_entries_readers') IS NOT NULL THEN
        FOR grantee IN SELECT r.grantee FROM pg_temp.ddlsnap_tree_entries_readers AS r LOOP
            EXECUTE pg_catalog.format('GRANT SELECT ON pggit_v2.tree_entries TO %s', grantee);
        END LOOP;
        DROP TABLE pg_temp.ddlsnap_tree_entries_readers;
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS pggit_v2.commit_graph (
    commit_sha   text PRIMARY KEY REFERENCES pggit_v2.objects (sha),
    parent_shas  text[] NOT NULL DEFAULT '{}',
    tree_sha     text NOT NULL REFERENCES pggit_v2.objects (sha),
    generation   integer NOT NULL CHECK (generation >= 1),
    author       text NOT NULL,
    committer    text NOT NULL,
    authored_at  timestamptz NOT NULL,
    committed_at timestamptz NOT NULL,
    message      text NOT NULL,
    history_ids  bigint[] NOT NULL DEFAULT '{}'  -- the v1 rows this commit replays
);
CREATE INDEX IF NOT EXISTS commit_graph_history_ids_idx
    ON pggit_v2.commit_graph USING gin (history_ids);

CREATE TABLE IF NOT EXISTS pggit_v2.refs (
    name       text PRIMARY KEY,
    target_sha text NOT NULL REFERENCES pggit_v2.objects (sha),
    type       text NOT NULL DEFAULT 'branch' CHECK (type IN ('branch', 'tag'))
);

CREATE TABLE IF NOT EXISTS pggit_v2.head (
    id         integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    ref_name   text,
    direct_sha text,
    CHECK ((ref_name IS NULL) <> (direct_sha IS NULL))
);

-- Changes whose replay failed: no commit, but a record of why.
CREATE TABLE IF NOT EXISTS pggit_v2.failed_changes (
    first_history_id bigint PRIMARY KEY,
    history_ids      bigint[] NOT NULL,
    statement_number integer,  -- 1-based position in the change; NULL: the whole text
    statement        text,
    error            text NOT NULL,
    sqlstate         text,
    created_at       timestamp,  -- the v1 rows' created_at
    recorded_at      timestamptz NOT NULL DEFAULT now()
);

-- One row per object whose definition a commit changed.
CREATE TABLE IF NOT EXISTS pggit_audit.changes (
    change_id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    commit_sha         text NOT NULL,
    object_schema      text,
    object_name        text NOT NULL,
    object_type        text NOT NULL,
    object_path        text NOT NULL,
    change_type        text NOT NULL CHECK (change_type IN ('CREATE', 'ALTER', 'DROP')),
    old_definition     text,
    new_definition     text,
    author             text,
    committed_at       timestamptz,
    commit_message     text,
    backfilled_from_v1 boolean NOT NULL DEFAULT true,
    verified           boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (commit_sha, object_path)
);

-- Every verify run leaves a row here (change_id NULL, the run's verdict and
-- its checks), and a passing run one row per audit row it verified. The log
-- is append-only: rows can be added, never changed or removed.
CREATE TABLE IF NOT EXISTS pggit_audit.compliance_log (
    log_id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_id           uuid,  -- pggit_audit.changes; NULL for the run itself
    verified_at         timestamptz NOT NULL DEFAULT now(),
    verified_by         text NOT NULL DEFAULT current_user,
    verification_status text NOT NULL
        CHECK (verification_status IN ('PASSED', 'FAILED', 'PENDING')),
    verification_notes  text
);

CREATE OR REPLACE FUNCTION pggit_audit.compliance_log_is_append_only()
    RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'pggit_audit.compliance_log is append-only (% refused)', TG_OP;
END
$$;

CREATE OR REPLACE TRIGGER compliance_log_no_change
    BEFORE UPDATE OR DELETE ON pggit_audit.compliance_log
    FOR EACH ROW EXECUTE FUNCTION pggit_audit.compliance_log_is_append_only();

CREATE OR REPLACE TRIGGER compliance_log_no_truncate
    BEFORE TRUNCATE ON pggit_audit.compliance_log
    FOR EACH STATEMENT EXECUTE FUNCTION pggit_audit.compliance_log_is_append_only();

-- The registry: one row per conversion run. A run's row is inserted when it
-- starts (committed at once, so other sessions see it), moved forward in
-- the same transaction as each batch it commits, and closed when it ends.
-- arguments never hold passwords.
CREATE TABLE IF NOT EXISTS pggit_v2.backfill_runs (
    run_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status            text NOT NULL
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'interrupted')),
    started_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at       timestamptz,
    rows_expected     bigint,
    rows_processed    bigint NOT NULL DEFAULT 0,
    changes_processed bigint NOT NULL DEFAULT 0,
    rows_resumed      bigint NOT NULL DEFAULT 0,  -- rows an earlier run had committed
    last_history_id   bigint,
    commits           bigint NOT NULL DEFAULT 0,
    failed_changes    bigint NOT NULL DEFAULT 0,
    warnings          bigint NOT NULL DEFAULT 0,
    batch_size        integer,
    head_sha          text,
    tool_version      text NOT NULL,
    arguments         text,
    error             text
);

-- Progress of every run: percent complete, elapsed time, and for a running
-- one the time left at the rate so far (rows per second since it started).
CREATE OR REPLACE VIEW pggit_v2.v_backfill_status AS
SELECT
    r.run_id,
    r.status,
    r.started_at,
    r.finished_at,
    r.rows_processed,
    r.rows_expected,
    round(100.0 * r.rows_processed / nullif(r.rows_expected, 0), 1) AS percent_complete,
    coalesce(r.finished_at, clock_timestamp()) - r.started_at AS elapsed,
    CASE
        WHEN r.status = 'running' AND r.rows_processed > 0
            AND r.rows_expected >= r.rows_processed
        THEN (r.updated_at - r.started_at)
            * ((r.rows_expected - r.rows_processed)::float8 / r.rows_processed)
    END AS estimated_time_left,
    r.changes_processed,
    r.rows_resumed,
    r.last_history_id,
    r.commits,
    r.failed_changes,
    r.warnings,
    r.batch_size,
    r.head_sha,
    r.tool_version,
    r.arguments,
    r.error,
    r.updated_at
FROM pggit_v2.backfill_runs AS r;
