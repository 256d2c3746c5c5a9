#!/usr/bin/env bash
# A shadow that holds more objects than one transaction can lock. The server here has
# max_locks_per_transaction = 10 (400 lock slots with the harness's 40 connections), and
# history makes 1,000 tables, 100 a change. A scoped capture reads only a change's tables,
# so the run must convert every change, then drop its shadow and its replay role and exit 0.
# Closing used to REASSIGN OWNED and DROP OWNED in the shadow, one lock per object: "out of
# shared memory" after every commit was written (seen on the benchmark's 20,000 objects).
#
# DDLSNAP_PARANOID is off: its full capture reads every table in one transaction, which is
# what this server cannot do (as `pg_dump` of it could not).
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"
export DDLSNAP_PARANOID=0

PG_HARNESS_CONF="max_locks_per_transaction = 10" pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"
tables=1000

# n-th change: 100 tables bulk.t<n>_<i>
make_tables()
{
	printf 'DO $$ BEGIN FOR i IN 1..100 LOOP'
	printf " EXECUTE format('CREATE TABLE bulk.t%s_%%s (id integer PRIMARY KEY, v text)', i);" "$1"
	printf ' END LOOP; END $$'
}

# The oracle for the setting: the old way of closing, REASSIGN OWNED of the same tables owned by
# another role, runs out of lock slots on this server.
createdb probe
psql -X -q -v ON_ERROR_STOP=1 -d probe >/dev/null <<'SQL'
CREATE ROLE lock_probe;
CREATE SCHEMA bulk AUTHORIZATION lock_probe;
SQL
for ((n = 1; n <= tables / 100; n++)); do
	psql -X -q -v ON_ERROR_STOP=1 -d probe -c "SET ROLE lock_probe" -c "$(make_tables "$n")" >/dev/null
done
set +e
probe_out="$(psql -X -q -v ON_ERROR_STOP=1 -d probe -c 'REASSIGN OWNED BY lock_probe TO postgres' 2>&1)"
set -e
assert_contains "$probe_out" "out of shared memory" \
	"this server cannot REASSIGN OWNED $tables tables in one transaction ($probe_out)"

v1_createdb src >/dev/null
{
	printf 'BEGIN;\n'
	printf "INSERT INTO pggit.objects (id, object_type, schema_name, object_name) VALUES (1, 'SCHEMA', NULL, 'bulk');\n"
	printf "SELECT setval('pggit.objects_id_seq', 1);\n"
	printf "INSERT INTO pggit.history (object_id, change_type, change_description, sql_executed, created_at, created_by) VALUES\n"
	printf "(1, 'CREATE', 'schema', 'CREATE SCHEMA bulk', '2026-01-01 00:00:00+00', 'alice')"
	for ((n = 1; n <= tables / 100; n++)); do
		sql="$(make_tables "$n")"
		printf ",\n(1, 'CREATE', 'tables %s', \$q\$%s\$q\$, '2026-01-01 00:%02d:00+00', 'alice')" \
			"$n" "$sql" "$n"
	done
	printf ';\nCOMMIT;\n'
} | psql -X -q -v ON_ERROR_STOP=1 -d src >/dev/null

createdb conv
run_ddlsnap "$work/convert.out" convert --source dbname=src --target dbname=conv \
	--git-dir "$work/conv.git" --quiet
out="$(cat "$work/convert.out")"
assert_eq 0 "$rc" "convert exits 0 ($out)"
assert_not_contains "$out" "out of shared memory" "no lock slot ran out"
assert_eq $((tables / 100 + 1)) "$(q conv "SELECT count(*) FROM pggit_v2.commit_graph")" \
	"one commit per change"
assert_eq "$tables" "$(gitc "$work/conv.git" ls-tree --name-only main:bulk/table | wc -l)" \
	"the last commit holds every table"
assert_eq "" "$(gitc "$work/conv.git" fsck --strict --no-dangling 2>&1)" "git fsck --strict"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'ddlsnap_shadow_%'")" \
	"the scratch shadow is dropped"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ddlsnap_replay_%'")" \
	"the replay role is dropped"

finish
