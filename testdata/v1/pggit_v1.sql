-- testdata/v1/pggit_v1.sql: a stand-in for pgGit v1's DDL history, for tests and the demo.
--
-- It imitates what the project's notes on pgGit (pggit-v1-v2-facts.md, "v1: what a user's
-- database holds") say a pgGit v1 installation leaves in a user's database: schema pggit with
-- the enums and the tables objects, history and history_archive, and two event triggers
-- (ddl_command_end, sql_drop) that write history rows the way pgGit v1 does. Written from those
-- facts alone; no pgGit code is copied here. Load it with psql into a database of its own
-- (tests/harness/pg.sh: v1_createdb).
--
-- What is recorded (default mode, as pgGit v1):
--   * CREATE / ALTER of TABLE, VIEW, INDEX, FUNCTION: one row per command reported by
--     pg_event_trigger_ddl_commands() whose tag is CREATE|ALTER TABLE|VIEW|INDEX|FUNCTION (or
--     CREATE TABLE AS) and whose object is a table, view, index or function. So
--     `CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b)` gives three rows: CREATE
--     TABLE, CREATE INDEX (the key), ALTER TABLE (the foreign key), all with the same
--     sql_executed and created_at.
--   * DROP of TABLE, VIEW, INDEX: one row per dropped relation that has an active row in
--     pggit.objects (so DROP SCHEMA x CASCADE gives one row per tracked object). The drop marks
--     the object inactive and a later re-create does not reactivate it, so after drop +
--     re-create a second DROP is lost, as in pgGit.
--   * Nothing else: no types, sequences, schemas, triggers, materialized views, procedures,
--     comments, grants, RENAME COLUMN (reported as a `table column`), DROP FUNCTION, nor what
--     an extension script creates. Objects in schemas pggit, pggit_v2, pggit_audit,
--     pg_catalog, pg_toast, information_schema and temporary schemas are never recorded.
--   Row contents: sql_executed = current_query(), the whole string the client sent;
--   created_at = CURRENT_TIMESTAMP (transaction start), created_by = CURRENT_USER.
--   A table or view rename gives an ALTER row on a new objects row under the new name (the old
--   row stays active). Relations are named quote_ident(name), so quoted names keep their
--   quotes; functions are named by their OID. change_description reads like
--   `CREATE TABLE table public.users`, `ALTER TABLE table public.users - Added column(s): email`,
--   `Dropped VIEW public.v`. content_hash, ddl_normalized and commit_hash stay NULL.
--
-- Fixture-only switches (custom settings, read with current_setting(name, true)):
--   pggit_fixture.record_all = on   complete-history mode: also record every other DDL command
--                                   (set per database: ALTER DATABASE d SET ...; see v1_createdb
--                                   --complete in tests/harness/pg.sh). Mapping below, in
--                                   pggit.fixture_kind().
--   pggit_fixture.clock = '<timestamp>'  used as created_at instead of CURRENT_TIMESTAMP.
--   pggit_fixture.user = '<name>'        used as created_by instead of CURRENT_USER.
--   SET them before a change in a history file (a SET is not DDL and is never recorded). USER
--   is a keyword, so that one is written SET pggit_fixture."user" = 'alice'; RESET (or SET to
--   '') goes back to the real clock / user.

CREATE SCHEMA pggit;

CREATE TYPE pggit.object_type AS ENUM (
	'SCHEMA', 'TABLE', 'COLUMN', 'INDEX', 'CONSTRAINT', 'VIEW', 'MATERIALIZED_VIEW',
	'FUNCTION', 'PROCEDURE', 'TRIGGER', 'TYPE', 'SEQUENCE', 'PARTITION', 'BRANCH', 'COMMIT',
	'TAG');

CREATE TYPE pggit.change_type AS ENUM (
	'CREATE', 'ALTER', 'DROP', 'RENAME', 'COMMENT', 'BRANCH', 'MERGE', 'CONFLICT_RESOLVED');

CREATE TYPE pggit.change_severity AS ENUM ('MAJOR', 'MINOR', 'PATCH');

-- The facts page does not list these values; the triggers never set the column.
CREATE TYPE pggit.merge_resolution AS ENUM ('OURS', 'THEIRS', 'UNION', 'CUSTOM');

CREATE TABLE pggit.objects (
	id serial PRIMARY KEY,
	object_type pggit.object_type NOT NULL,
	schema_name text,
	object_name text NOT NULL,
	full_name text GENERATED ALWAYS AS (
		CASE WHEN schema_name IS NULL OR schema_name = '' THEN object_name
		     ELSE schema_name || '.' || object_name END) STORED,
	parent_id integer REFERENCES pggit.objects (id),
	content_hash text,
	ddl_normalized text,
	branch_id integer DEFAULT 1,
	branch_name text DEFAULT 'main',
	version integer DEFAULT 1,
	version_major integer DEFAULT 1,
	version_minor integer DEFAULT 0,
	version_patch integer DEFAULT 0,
	metadata jsonb DEFAULT '{}',
	is_active boolean DEFAULT true,
	created_at timestamp DEFAULT CURRENT_TIMESTAMP,
	updated_at timestamp DEFAULT CURRENT_TIMESTAMP,
	UNIQUE (object_type, schema_name, object_name, branch_name)
);

CREATE TABLE pggit.history (
	id serial PRIMARY KEY,
	object_id integer NOT NULL REFERENCES pggit.objects (id),
	change_type pggit.change_type NOT NULL,
	change_severity pggit.change_severity,
	commit_hash text,
	branch_id integer,
	merge_base_hash text,
	merge_resolution pggit.merge_resolution,
	old_version integer,
	new_version integer,
	old_metadata jsonb,
	new_metadata jsonb,
	change_description text,
	sql_executed text,
	created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
	created_by text DEFAULT CURRENT_USER
);

CREATE INDEX history_object_id_idx ON pggit.history (object_id);
CREATE INDEX history_created_at_idx ON pggit.history (created_at);

-- Old rows moved out by pgGit's cleanup live here; history ids then have gaps.
CREATE TABLE pggit.history_archive (LIKE pggit.history INCLUDING ALL);

-- created_at for a new row: the fixture clock if set, else the transaction start.
CREATE FUNCTION pggit.fixture_now() RETURNS timestamp
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(nullif(current_setting('pggit_fixture.clock', true), '')::timestamp,
	                CURRENT_TIMESTAMP::timestamp)
$$;

-- created_by for a new row: the fixture user if set, else CURRENT_USER.
CREATE FUNCTION pggit.fixture_user() RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(nullif(current_setting('pggit_fixture.user', true), ''), CURRENT_USER::text)
$$;

CREATE FUNCTION pggit.fixture_record_all() RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(lower(current_setting('pggit_fixture.record_all', true))
	                IN ('on', 'true', 'yes', '1'), false)
$$;

-- Schemas whose objects are never recorded: pgGit's own, the converter's, the system's and
-- temporary ones.
CREATE FUNCTION pggit.fixture_ignored_schema(nsp text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT nsp IN ('pggit', 'pggit_v2', 'pggit_audit', 'pg_catalog', 'pg_toast',
	               'information_schema', 'pg_temp')
	    OR nsp LIKE 'pg\_temp\_%' OR nsp LIKE 'pg\_toast\_temp\_%'
$$;

-- Complete-history mode: the closest object_type for each kind of object PostgreSQL reports
-- (the object_type column of pg_event_trigger_ddl_commands() / _dropped_objects(); GRANT and
-- ALTER DEFAULT PRIVILEGES report an upper-case object class instead).
--   table, foreign table, policy, rule, statistics object, default acl  -> TABLE
--   *column (table column, view column, ...), default value            -> COLUMN
--   index                                                              -> INDEX
--   table constraint, domain constraint                                -> CONSTRAINT
--   view                                                               -> VIEW
--   materialized view                                                  -> MATERIALIZED_VIEW
--   function, aggregate, routine                                       -> FUNCTION
--   procedure                                                          -> PROCEDURE
--   trigger, event trigger                                             -> TRIGGER
--   type, domain, composite type, cast, collation, conversion, operator,
--   operator class/family, text search objects, transform               -> TYPE
--   sequence                                                           -> SEQUENCE
--   schema and database-wide objects (extension, language, foreign-data
--   wrapper, server, user mapping, publication, access method ...)      -> SCHEMA
CREATE FUNCTION pggit.fixture_kind(pg_type text) RETURNS pggit.object_type
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
		WHEN t IN ('table', 'tables', 'foreign table', 'policy', 'rule', 'statistics object',
		           'default acl', 'large object', 'large objects')
			THEN 'TABLE'
		WHEN t LIKE '% column' OR t IN ('column', 'default value') THEN 'COLUMN'
		WHEN t = 'index' THEN 'INDEX'
		WHEN t LIKE '% constraint' THEN 'CONSTRAINT'
		WHEN t = 'view' THEN 'VIEW'
		WHEN t = 'materialized view' THEN 'MATERIALIZED_VIEW'
		WHEN t IN ('function', 'functions', 'aggregate', 'routine', 'routines') THEN 'FUNCTION'
		WHEN t IN ('procedure', 'procedures') THEN 'PROCEDURE'
		WHEN t IN ('trigger', 'event trigger') THEN 'TRIGGER'
		WHEN t IN ('type', 'types', 'domain', 'composite type', 'cast', 'collation',
		           'conversion', 'transform')
		  OR t LIKE 'operator%' OR t LIKE 'text search %'
			THEN 'TYPE'
		WHEN t IN ('sequence', 'sequences') THEN 'SEQUENCE'
		ELSE 'SCHEMA'
	END::pggit.object_type
	FROM lower(pg_type) AS t
$$;

-- Column names of a table or view, in order: kept in objects.metadata so that an ALTER can say
-- which columns it added or dropped.
CREATE FUNCTION pggit.fixture_columns(rel oid) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('columns', coalesce(jsonb_agg(a.attname::text ORDER BY a.attnum),
	                                              '[]'::jsonb))
	FROM pg_catalog.pg_attribute AS a
	WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
$$;

-- The pggit.objects row for an object, created when missing.
CREATE FUNCTION pggit.fixture_object(kind pggit.object_type, nsp text, name text,
                                     parent integer, meta jsonb, at timestamp)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
	obj integer;
BEGIN
	SELECT o.id INTO obj
	FROM pggit.objects AS o
	WHERE o.object_type = kind AND o.schema_name IS NOT DISTINCT FROM nsp
	  AND o.object_name = name AND o.branch_name = 'main';
	IF NOT FOUND THEN
		INSERT INTO pggit.objects (object_type, schema_name, object_name, parent_id, metadata,
		                           version, created_at, updated_at)
		VALUES (kind, nsp, name, parent, coalesce(meta, '{}'), 0, at, at)
		RETURNING id INTO obj;
	END IF;
	RETURN obj;
END
$$;

-- ddl_command_end: one history row per reported command that pgGit v1 tracks (or every
-- command in complete-history mode).
CREATE FUNCTION pggit.handle_ddl_command() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cmd record;
	all_mode boolean := pggit.fixture_record_all();
	at timestamp := pggit.fixture_now();
	who text := pggit.fixture_user();
	kind pggit.object_type;
	change pggit.change_type;
	severity pggit.change_severity;
	nsp text;
	name text;
	parent integer;
	obj integer;
	old_meta jsonb;
	new_meta jsonb;
	old_ver integer;
	descr text;
	added text;
	dropped text;
BEGIN
	FOR cmd IN SELECT * FROM pg_catalog.pg_event_trigger_ddl_commands() LOOP
		nsp := cmd.schema_name;
		CONTINUE WHEN nsp IS NOT NULL AND pggit.fixture_ignored_schema(nsp);
		CONTINUE WHEN cmd.object_type = 'schema'
		          AND pggit.fixture_ignored_schema(
		                  (SELECT n.nspname::text FROM pg_catalog.pg_namespace AS n
		                   WHERE n.oid = cmd.objid));
		CONTINUE WHEN cmd.in_extension;

		IF cmd.command_tag IN ('CREATE TABLE', 'CREATE TABLE AS', 'ALTER TABLE',
		                       'CREATE VIEW', 'ALTER VIEW', 'CREATE INDEX', 'ALTER INDEX',
		                       'CREATE FUNCTION', 'ALTER FUNCTION')
		   AND cmd.object_type IN ('table', 'view', 'index', 'function') THEN
			kind := upper(cmd.object_type)::pggit.object_type;
		ELSIF all_mode THEN
			kind := pggit.fixture_kind(cmd.object_type);
		ELSE
			CONTINUE;
		END IF;

		change := CASE split_part(cmd.command_tag, ' ', 1)
			WHEN 'CREATE' THEN 'CREATE'
			WHEN 'SELECT' THEN 'CREATE'   -- SELECT INTO
			WHEN 'IMPORT' THEN 'CREATE'   -- IMPORT FOREIGN SCHEMA
			WHEN 'COMMENT' THEN 'COMMENT'
			ELSE 'ALTER'                  -- ALTER, GRANT, REVOKE, REFRESH, SECURITY LABEL ...
		END;

		-- Relations by quoted name, routines by OID, the rest by identity minus the schema.
		parent := NULL;
		new_meta := '{}';
		IF cmd.classid = 'pg_catalog.pg_class'::regclass AND cmd.objsubid = 0 THEN
			SELECT quote_ident(c.relname) INTO name
			FROM pg_catalog.pg_class AS c WHERE c.oid = cmd.objid;
			IF cmd.object_type IN ('table', 'view', 'materialized view', 'foreign table') THEN
				new_meta := pggit.fixture_columns(cmd.objid);
			ELSIF cmd.object_type = 'index' THEN
				SELECT o.id INTO parent
				FROM pg_catalog.pg_index AS i
				JOIN pg_catalog.pg_class AS t ON t.oid = i.indrelid
				JOIN pggit.objects AS o
				  ON o.object_type IN ('TABLE', 'MATERIALIZED_VIEW')
				 AND o.schema_name = nsp AND o.object_name = quote_ident(t.relname)
				 AND o.branch_name = 'main'
				WHERE i.indexrelid = cmd.objid
				ORDER BY o.id LIMIT 1;
			END IF;
		ELSIF cmd.classid = 'pg_catalog.pg_proc'::regclass THEN
			name := cmd.objid::text;
		ELSIF cmd.object_identity IS NULL THEN
			name := lower(cmd.command_tag) || ' ' || lower(cmd.object_type);
		ELSIF nsp IS NOT NULL AND starts_with(cmd.object_identity, quote_ident(nsp) || '.') THEN
			name := substr(cmd.object_identity, length(quote_ident(nsp)) + 2);
		ELSE
			name := cmd.object_identity;
		END IF;
		name := coalesce(name, cmd.object_identity, cmd.objid::text);

		obj := pggit.fixture_object(kind, nsp, name, parent, new_meta, at);
		SELECT o.metadata, o.version INTO old_meta, old_ver FROM pggit.objects AS o WHERE o.id = obj;

		descr := concat_ws(' ', cmd.command_tag, lower(cmd.object_type), cmd.object_identity);
		severity := CASE change WHEN 'COMMENT' THEN 'PATCH' ELSE 'MINOR' END;
		IF change = 'ALTER' AND new_meta ? 'columns' AND old_meta ? 'columns' THEN
			SELECT string_agg(c, ', ' ORDER BY ord) INTO added
			FROM jsonb_array_elements_text(new_meta -> 'columns') WITH ORDINALITY AS n(c, ord)
			WHERE NOT (old_meta -> 'columns') ? c;
			SELECT string_agg(c, ', ' ORDER BY ord) INTO dropped
			FROM jsonb_array_elements_text(old_meta -> 'columns') WITH ORDINALITY AS n(c, ord)
			WHERE NOT (new_meta -> 'columns') ? c;
			IF added IS NOT NULL THEN
				descr := descr || ' - Added column(s): ' || added;
			END IF;
			IF dropped IS NOT NULL THEN
				descr := descr || ' - Dropped column(s): ' || dropped;
				severity := 'MAJOR';
			END IF;
		END IF;

		UPDATE pggit.objects AS o
		SET version = o.version + 1,
		    metadata = CASE WHEN new_meta = '{}' THEN o.metadata ELSE new_meta END,
		    parent_id = coalesce(o.parent_id, parent),
		    is_active = CASE WHEN all_mode AND change = 'CREATE' THEN true ELSE o.is_active END,
		    updated_at = at
		WHERE o.id = obj;

		INSERT INTO pggit.history (object_id, change_type, change_severity, branch_id,
		                           old_version, new_version, old_metadata, new_metadata,
		                           change_description, sql_executed, created_at, created_by)
		VALUES (obj, change, severity, 1,
		        nullif(old_ver, 0), old_ver + 1,
		        CASE WHEN old_ver > 0 THEN old_meta END, new_meta,
		        descr, current_query(), at, who);
	END LOOP;
END
$$;

-- sql_drop: DROP rows for tracked tables, views and indexes that are still active (never for
-- functions); in complete-history mode for every tracked kind and for every object the command
-- named itself (DROP FUNCTION, DROP TYPE, ALTER TABLE ... DROP COLUMN ...).
CREATE FUNCTION pggit.handle_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	d record;
	all_mode boolean := pggit.fixture_record_all();
	at timestamp := pggit.fixture_now();
	who text := pggit.fixture_user();
	kind pggit.object_type;
	name text;
	obj integer;
	active boolean;
	old_ver integer;
	old_meta jsonb;
BEGIN
	FOR d IN SELECT * FROM pg_catalog.pg_event_trigger_dropped_objects() LOOP
		CONTINUE WHEN d.is_temporary;
		CONTINUE WHEN d.schema_name IS NOT NULL AND pggit.fixture_ignored_schema(d.schema_name);
		CONTINUE WHEN d.object_type = 'schema' AND pggit.fixture_ignored_schema(d.object_name);

		IF d.object_type IN ('table', 'view', 'index') THEN
			kind := upper(d.object_type)::pggit.object_type;
		ELSIF all_mode AND (d.original OR d.object_type = 'function') THEN
			kind := pggit.fixture_kind(d.object_type);
		ELSE
			CONTINUE;
		END IF;

		IF d.classid = 'pg_catalog.pg_proc'::regclass THEN
			name := d.objid::text;
		ELSIF d.classid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0 THEN
			name := quote_ident(d.object_name);
		ELSIF d.schema_name IS NOT NULL
		  AND starts_with(d.object_identity, quote_ident(d.schema_name) || '.') THEN
			name := substr(d.object_identity, length(quote_ident(d.schema_name)) + 2);
		ELSE
			name := d.object_identity;
		END IF;

		SELECT o.id, o.is_active, o.version, o.metadata INTO obj, active, old_ver, old_meta
		FROM pggit.objects AS o
		WHERE o.object_type = kind AND o.schema_name IS NOT DISTINCT FROM d.schema_name
		  AND o.object_name = name AND o.branch_name = 'main';
		IF NOT FOUND OR NOT active THEN
			CONTINUE WHEN NOT all_mode;
			IF obj IS NULL THEN
				obj := pggit.fixture_object(kind, d.schema_name, name, NULL, '{}', at);
				old_ver := 0;
				old_meta := '{}';
			END IF;
		END IF;

		UPDATE pggit.objects AS o
		SET is_active = false, version = o.version + 1, updated_at = at
		WHERE o.id = obj;

		INSERT INTO pggit.history (object_id, change_type, change_severity, branch_id,
		                           old_version, new_version, old_metadata, new_metadata,
		                           change_description, sql_executed, created_at, created_by)
		VALUES (obj, 'DROP', 'MAJOR', 1, nullif(old_ver, 0), old_ver + 1,
		        CASE WHEN old_ver > 0 THEN old_meta END, NULL,
		        format('Dropped %s %s', kind, d.object_identity), current_query(), at, who);
	END LOOP;
END
$$;

CREATE EVENT TRIGGER pggit_ddl_trigger ON ddl_command_end
	EXECUTE FUNCTION pggit.handle_ddl_command();

CREATE EVENT TRIGGER pggit_drop_trigger ON sql_drop
	EXECUTE FUNCTION pggit.handle_sql_drop();

-- Ordinary roles that run DDL must be able to write their history rows (CURRENT_USER is the
-- author, so the functions are not SECURITY DEFINER).
GRANT USAGE ON SCHEMA pggit TO PUBLIC;
GRANT SELECT, INSERT, UPDATE ON pggit.objects, pggit.history TO PUBLIC;
GRANT SELECT ON pggit.history_archive TO PUBLIC;
GRANT USAGE ON SEQUENCE pggit.objects_id_seq, pggit.history_id_seq TO PUBLIC;
