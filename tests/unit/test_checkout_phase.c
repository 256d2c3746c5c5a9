/* test_checkout_phase.c - which phase and step a checkout gives a statement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ddlsnap/checkout.h"
#include "ddlsnap/error.h"

static ds_checkout_class classify(const char *sql)
{
	ds_checkout_class c;
	int rc = ds_checkout_classify(sql, &c);
	if (rc)
		fail_msg("%s: %s", sql, ds_error_last());
	return c;
}

static void expect(const char *sql, ds_checkout_phase phase, const char *what)
{
	ds_checkout_class c = classify(sql);
	if (c.phase != phase || strcmp(c.what, what) != 0)
		fail_msg("%s: expected %s/%s, got %s/%s", sql, ds_checkout_phase_name(phase), what,
			 ds_checkout_phase_name(c.phase), c.what);
}

/* a must run before b in the first pass */
static void before(const char *a, const char *b)
{
	ds_checkout_class x = classify(a), y = classify(b);
	if (x.step >= y.step)
		fail_msg("expected '%s' (%s) before '%s' (%s)", a, x.what, b, y.what);
}

static void phases_follow_pg_dump(void **state)
{
	(void)state;
	expect("CREATE SCHEMA app", DS_PHASE_SCHEMAS, "schema");
	expect("CREATE EXTENSION hstore WITH SCHEMA app", DS_PHASE_EXTENSIONS, "extension");
	expect("CREATE TYPE app.mood AS ENUM ('a', 'b')", DS_PHASE_DEFINITIONS, "type");
	expect("CREATE TYPE app.pair AS (a integer, b text)", DS_PHASE_DEFINITIONS, "type");
	expect("CREATE TYPE app.r AS RANGE (subtype = float8)", DS_PHASE_DEFINITIONS, "type");
	expect("CREATE TYPE app.shell", DS_PHASE_DEFINITIONS, "type");
	expect("CREATE DOMAIN app.d AS integer CHECK (VALUE > 0)", DS_PHASE_DEFINITIONS, "domain");
	expect("CREATE COLLATION app.c (provider = icu, locale = 'und')", DS_PHASE_DEFINITIONS,
	       "collation");
	expect("CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
	       DS_PHASE_DEFINITIONS, "function");
	expect("CREATE PROCEDURE app.p() LANGUAGE sql AS $$ SELECT 1 $$", DS_PHASE_DEFINITIONS,
	       "function");
	expect("CREATE AGGREGATE app.s(integer) (sfunc = int4pl, stype = integer)",
	       DS_PHASE_DEFINITIONS, "aggregate");
	expect("CREATE OPERATOR app.=== (leftarg = integer, rightarg = integer, function = int4eq)",
	       DS_PHASE_DEFINITIONS, "operator");
	expect("CREATE CAST (app.d AS text) WITH INOUT", DS_PHASE_DEFINITIONS, "cast or transform");
	expect("CREATE FOREIGN DATA WRAPPER w", DS_PHASE_DEFINITIONS, "foreign-data wrapper");
	expect("CREATE SERVER s FOREIGN DATA WRAPPER w", DS_PHASE_DEFINITIONS, "foreign server");
	expect("CREATE TEXT SEARCH CONFIGURATION app.t (copy = english)", DS_PHASE_DEFINITIONS,
	       "text search object");
	expect("CREATE SEQUENCE app.s START WITH 1", DS_PHASE_DEFINITIONS, "sequence");
	expect("CREATE TABLE app.t (a integer)", DS_PHASE_DEFINITIONS, "table");
	expect("CREATE TABLE app.t1 PARTITION OF app.t FOR VALUES IN (1)", DS_PHASE_DEFINITIONS,
	       "table");
	expect("CREATE FOREIGN TABLE app.f (a integer) SERVER s", DS_PHASE_DEFINITIONS,
	       "foreign table");
	expect("ALTER SEQUENCE app.s OWNED BY app.t.a", DS_PHASE_DEFINITIONS, "sequence owned by");
	expect("ALTER SEQUENCE app.s RESTART WITH 5", DS_PHASE_DEFINITIONS, "sequence");
	expect("ALTER TABLE ONLY app.t ATTACH PARTITION app.t1 FOR VALUES IN (1)",
	       DS_PHASE_DEFINITIONS, "partition attached");
	expect("ALTER TABLE ONLY app.t ALTER COLUMN a SET DEFAULT 1", DS_PHASE_DEFINITIONS,
	       "table change");
	expect("CREATE VIEW app.v AS SELECT 1 AS x", DS_PHASE_DEFINITIONS, "view");
	expect("ALTER VIEW app.v ALTER COLUMN x SET DEFAULT 2", DS_PHASE_DEFINITIONS,
	       "view change");
	expect("CREATE MATERIALIZED VIEW app.m AS SELECT 1 AS x WITH NO DATA", DS_PHASE_DEFINITIONS,
	       "materialized view");

	expect("CREATE INDEX i ON app.t USING btree (a)", DS_PHASE_POST_DATA, "index");
	expect("CREATE INDEX i ON ONLY app.t USING btree (a)", DS_PHASE_POST_DATA, "index");
	expect("ALTER INDEX app.i ATTACH PARTITION app.i1", DS_PHASE_POST_DATA, "index attached");
	expect("ALTER TABLE ONLY app.t ADD CONSTRAINT t_pkey PRIMARY KEY (a)", DS_PHASE_POST_DATA,
	       "constraint");
	expect("ALTER TABLE app.t ADD CONSTRAINT c CHECK (a > 0) NOT VALID", DS_PHASE_POST_DATA,
	       "constraint");
	expect("ALTER TABLE ONLY app.t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES app.u(b)",
	       DS_PHASE_POST_DATA, "foreign key");
	expect("CREATE TRIGGER tr BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.f()",
	       DS_PHASE_POST_DATA, "trigger");
	expect("ALTER TABLE app.t DISABLE TRIGGER tr", DS_PHASE_POST_DATA,
	       "trigger enabled or disabled");
	expect("CREATE RULE r AS ON INSERT TO app.t DO INSTEAD NOTHING", DS_PHASE_POST_DATA,
	       "rule");
	expect("CREATE POLICY p ON app.t USING (a > 0)", DS_PHASE_POST_DATA, "policy");
	expect("ALTER TABLE app.t ENABLE ROW LEVEL SECURITY", DS_PHASE_POST_DATA,
	       "row level security");
	expect("ALTER TABLE app.t FORCE ROW LEVEL SECURITY", DS_PHASE_POST_DATA,
	       "row level security");
	expect("CREATE STATISTICS app.st (dependencies) ON a, b FROM app.t", DS_PHASE_POST_DATA,
	       "statistics");
	expect("CREATE PUBLICATION pub FOR TABLE app.t", DS_PHASE_POST_DATA, "publication");

	expect("ALTER TABLE app.t OWNER TO bob", DS_PHASE_DECORATIONS, "owner");
	expect("ALTER FUNCTION app.f() OWNER TO bob", DS_PHASE_DECORATIONS, "owner");
	expect("ALTER SCHEMA app OWNER TO bob", DS_PHASE_DECORATIONS, "owner");
	expect("COMMENT ON TABLE app.t IS 'x'", DS_PHASE_DECORATIONS, "comment");
	expect("COMMENT ON COLUMN app.t.a IS 'x'", DS_PHASE_DECORATIONS, "comment");
	expect("GRANT SELECT ON TABLE app.t TO PUBLIC", DS_PHASE_DECORATIONS, "privileges");
	expect("REVOKE ALL ON SCHEMA public FROM PUBLIC", DS_PHASE_DECORATIONS, "privileges");
	expect("ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO bob",
	       DS_PHASE_DECORATIONS, "default privileges");

	expect("CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION app.f()",
	       DS_PHASE_EVENT_TRIGGERS, "event trigger");
	expect("ALTER EVENT TRIGGER e DISABLE", DS_PHASE_EVENT_TRIGGERS,
	       "event trigger enabled or disabled");
	expect("COMMENT ON EVENT TRIGGER e IS 'x'", DS_PHASE_EVENT_TRIGGERS,
	       "event trigger comment");
	expect("ALTER EVENT TRIGGER e OWNER TO bob", DS_PHASE_EVENT_TRIGGERS,
	       "event trigger owner");
}

static void order_within_phases(void **state)
{
	(void)state;
	before("CREATE TYPE app.mood AS ENUM ('a')",
	       "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$");
	before("CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
	       "CREATE TABLE app.t (a integer DEFAULT app.f())");
	before("CREATE SEQUENCE app.s", "CREATE TABLE app.t (a integer)");
	before("CREATE TABLE app.t (a integer)", "ALTER SEQUENCE app.s OWNED BY app.t.a");
	before("ALTER SEQUENCE app.s OWNED BY app.t.a",
	       "ALTER TABLE ONLY app.t ATTACH PARTITION app.t1 FOR VALUES IN (1)");
	before("ALTER TABLE ONLY app.t ATTACH PARTITION app.t1 FOR VALUES IN (1)",
	       "CREATE VIEW app.v AS SELECT 1");
	before("CREATE VIEW app.v AS SELECT 1", "CREATE INDEX i ON app.t (a)");
	before("CREATE INDEX i ON app.t (a)", "ALTER TABLE app.t ADD CONSTRAINT k UNIQUE (a)");
	/* an index attach may name a constraint's index */
	before("ALTER TABLE app.t ADD CONSTRAINT k UNIQUE (a)",
	       "ALTER INDEX app.k ATTACH PARTITION app.k1");
	before("ALTER INDEX app.k ATTACH PARTITION app.k1",
	       "ALTER TABLE app.t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES app.u(b)");
	before("ALTER TABLE app.t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES app.u(b)",
	       "CREATE TRIGGER tr AFTER INSERT ON app.t EXECUTE FUNCTION app.f()");
	/* owners first: grants and revokes are relative to the final owner */
	before("ALTER TABLE app.t OWNER TO bob", "COMMENT ON TABLE app.t IS 'x'");
	before("COMMENT ON TABLE app.t IS 'x'", "GRANT SELECT ON app.t TO alice");
	before("GRANT SELECT ON app.t TO alice",
	       "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob");
	/* event triggers last, so none fires while the checkout runs */
	before("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob",
	       "CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION app.f()");
}

/* ALTER TABLE with several commands goes where its latest command goes. */
static void alter_table_takes_the_latest_command(void **state)
{
	(void)state;
	expect("ALTER TABLE app.t ALTER COLUMN a SET NOT NULL, ADD CONSTRAINT f FOREIGN KEY (a) "
	       "REFERENCES app.u(b)",
	       DS_PHASE_POST_DATA, "foreign key");
	expect("ALTER TABLE app.t ENABLE ROW LEVEL SECURITY, OWNER TO bob", DS_PHASE_DECORATIONS,
	       "owner");
	expect("ALTER TABLE ONLY app.t REPLICA IDENTITY USING INDEX t_pkey", DS_PHASE_POST_DATA,
	       "replica identity or cluster");
	expect("ALTER INDEX app.i SET (fillfactor = 50)", DS_PHASE_POST_DATA, "index change");
	expect("ALTER TYPE app.pair ADD ATTRIBUTE c integer", DS_PHASE_DEFINITIONS, "type change");
}

static void public_schema_is_recognized(void **state)
{
	(void)state;
	assert_true(classify("CREATE SCHEMA public").creates_public);
	assert_true(classify("CREATE SCHEMA \"public\"").creates_public);
	assert_false(classify("CREATE SCHEMA \"Public\"").creates_public);
	assert_false(classify("CREATE SCHEMA app").creates_public);
	assert_false(classify("COMMENT ON SCHEMA public IS 'x'").creates_public);
}

static void refuses_what_no_snapshot_holds(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"BEGIN",
		"COMMIT",
		"INSERT INTO app.t VALUES (1)",
		"COPY app.t FROM stdin",
		"SET search_path = app",
		"DO $$ BEGIN END $$",
		"CREATE ROLE r",
		"GRANT r TO bob",
		"CREATE DATABASE d",
		"DROP TABLE app.t",
		"ALTER TABLE app.t DROP COLUMN a",
		"ALTER TABLE app.t DETACH PARTITION app.t1",
		"SELECT 1",
		"VACUUM app.t",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ds_checkout_class c;
		if (ds_checkout_classify(bad[i], &c) != DS_EINVALID)
			fail_msg("'%s' was not refused", bad[i]);
		if (!strstr(ds_error_last(), "not something a snapshot holds"))
			fail_msg("'%s': unexpected message %s", bad[i], ds_error_last());
	}
}

static void one_statement_exactly(void **state)
{
	(void)state;
	ds_checkout_class c;
	assert_int_equal(ds_checkout_classify("CREATE SCHEMA a; CREATE SCHEMA b", &c), DS_EINVALID);
	assert_int_equal(ds_checkout_classify("", &c), DS_EINVALID);
	assert_int_equal(ds_checkout_classify("CREATE TABLE (", &c), DS_EINVALID);
	assert_non_null(strstr(ds_error_last(), "cannot parse"));
}

static void phase_names(void **state)
{
	(void)state;
	assert_string_equal(ds_checkout_phase_name(DS_PHASE_SCHEMAS), "schemas");
	assert_string_equal(ds_checkout_phase_name(DS_PHASE_POST_DATA), "post-data");
	assert_string_equal(ds_checkout_phase_name(DS_PHASE_EVENT_TRIGGERS), "event triggers");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phases_follow_pg_dump),
		cmocka_unit_test(order_within_phases),
		cmocka_unit_test(alter_table_takes_the_latest_command),
		cmocka_unit_test(public_schema_is_recognized),
		cmocka_unit_test(refuses_what_no_snapshot_holds),
		cmocka_unit_test(one_statement_exactly),
		cmocka_unit_test(phase_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
