#!/usr/bin/env bash
# What real migration histories taught (docs/real-histories.md), kept as tests:
# - testdata/cases/grant_in_history.sql (supabase/auth) and extension_comment.sql (Lemmy)
#   convert with no failed change and a head tree equal to a snapshot of the database where
#   the history ran;
# - bench/real/load.sh sends a diesel file as one query string inside a transaction and a
#   goose file statement by statement, records the tools' bookkeeping, and bench/real/run.sh
#   on such folders (written here, CONCURRENTLY and a DO block included) finds equal trees.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"
repo="$PG_HARNESS_REPO"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"

# The cases: converted, then compared with a snapshot of the source.
for name in grant_in_history extension_comment; do
	v1_createdb "$name"
	v1_load "$name" "testdata/cases/$name.sql"
	createdb "${name}_store"
	run_ddlsnap "$work/$name.out" convert --source "dbname=$name" \
		--target "dbname=${name}_store" --git-dir "$work/$name.git" --quiet
	assert_eq 0 "$rc" "$name: convert ($(cat "$work/$name.out"))"
	assert_contains "$(cat "$work/$name.out")" "replayed, 0 failed" "$name: no failed change"
	run_ddlsnap "$work/$name.snap" snapshot --source "dbname=$name" \
		--git-dir "$work/$name.snap.git" --quiet
	assert_eq 0 "$rc" "$name: snapshot ($(cat "$work/$name.snap"))"
	assert_eq "$(gitc "$work/$name.snap.git" rev-parse 'HEAD^{tree}')" \
		"$(gitc "$work/$name.git" rev-parse 'HEAD^{tree}' 2>&1)" \
		"$name: head tree equals the snapshot of the source"
done

# A diesel folder and a goose folder, written here.
d="$work/diesel"
mkdir -p "$d/2024-01-01-000000_create_items" "$d/2024-02-01-000000_add_kind"
cat >"$d/2024-01-01-000000_create_items/up.sql" <<'EOF'
CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);
CREATE INDEX items_name_idx ON items (name);
INSERT INTO items (name) VALUES ('first');
EOF
cat >"$d/2024-02-01-000000_add_kind/up.sql" <<'EOF'
CREATE TYPE item_kind AS ENUM ('a', 'b');
ALTER TABLE items ADD COLUMN kind item_kind;
DO $$ BEGIN
    CREATE VIEW named_items AS SELECT id, name FROM items WHERE name <> '';
END $$;
EOF
g="$work/goose"
mkdir -p "$g"
cat >"$g/00001_create_tuples.sql" <<'EOF'
-- +goose Up
CREATE TABLE tuples (id integer PRIMARY KEY, subject text, relation text);
ALTER TABLE tuples ADD COLUMN tenant text; -- a trailing comment
-- +goose Down
DROP TABLE tuples;
EOF
cat >"$g/00002_index.sql" <<'EOF'
-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY tuples_subject_idx ON tuples (tenant, subject);
-- +goose StatementBegin
CREATE FUNCTION tuple_count() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM tuples;
$$;
-- +goose StatementEnd
-- +goose Down
DROP INDEX tuples_subject_idx;
EOF

"$repo/bench/real/load.sh" "$d" dsl diesel 2>"$work/dsl.err" ||
	fail "load.sh diesel: $(cat "$work/dsl.err")"
assert_eq "$(cat "$d/2024-02-01-000000_add_kind/up.sql")" \
	"$(q dsl "SELECT DISTINCT sql_executed FROM pggit.history WHERE sql_executed LIKE 'CREATE TYPE item_kind%'")" \
	"diesel: sql_executed is the whole file (one query string)"
assert_eq 1 "$(q dsl "SELECT count(DISTINCT created_at) FROM pggit.history WHERE sql_executed LIKE 'CREATE TYPE item_kind%'")" \
	"diesel: one file, one transaction"
assert_eq "20240101000000,20240201000000" \
	"$(q dsl "SELECT string_agg(version, ',' ORDER BY version) FROM __diesel_schema_migrations")" \
	"diesel: its bookkeeping"
"$repo/bench/real/load.sh" "$g" gsl goose 2>"$work/gsl.err" ||
	fail "load.sh goose: $(cat "$work/gsl.err")"
assert_eq "CREATE INDEX CONCURRENTLY tuples_subject_idx ON tuples (tenant, subject);" \
	"$(q gsl "SELECT DISTINCT sql_executed FROM pggit.history WHERE sql_executed LIKE '%CONCURRENTLY%'")" \
	"goose: one statement per query"
assert_eq 1 "$(q gsl "SELECT count(*) FROM pggit.history WHERE sql_executed LIKE 'CREATE FUNCTION tuple_count()%\$\$;'")" \
	"goose: a StatementBegin/End block is one statement"
assert_eq 0 "$(q gsl "SELECT count(*) FROM pggit.history WHERE sql_executed LIKE '%DROP%'")" \
	"goose: the Down section is not sent"

for t in diesel goose; do
	set +e
	OUT="$work/run_$t" "$repo/bench/real/run.sh" "$t" "$work/$t" "$t" >"$work/run_$t.out" 2>&1
	rc=$?
	set -e
	out="$(cat "$work/run_$t.out")"
	assert_eq 0 "$rc" "run.sh $t ($out)"
	assert_contains "$out" "failed groups: 0" "run.sh $t: no failed group"
	assert_contains "$out" "trees equal: yes" "run.sh $t: the conversion's head equals the direct snapshot"
done
finish
