#!/usr/bin/env bash
# The checkout's ordering against pg_dump's own DDL: a database with most
# kinds of objects (testdata/roundtrip/pgdump_kinds.sql: extensions,
# domains over extension types, operators, casts, text search, foreign
# tables, identity and generated columns, partitions with a partitioned
# primary key and index, inheritance, views on views, a materialized view,
# rules, policies, RLS, statistics, a publication, an event trigger,
# comments, column privileges, default privileges) is dumped with pg_dump,
# the dump is cut into one blob per pg_dump entry at <schema>/<type>/<name>.sql
# and committed with git plumbing, and `ddlsnap checkout` of that commit must
# give a database that dumps the same. Blobs run in path order, which is
# not dependency order, so the phases and retries are what make it apply;
# this holds them against every statement form pg_dump writes, whether or
# not capture writes it yet.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"

dump()
{
	local db="$1"
	shift
	pg_dump --schema-only "$@" -d "$db" | grep -Ev '^\\(un)?restrict |^-- Dumped (from|by) '
}

# split_dump DIR < DUMP: one file per pg_dump entry ("-- Name: N; Type: T;
# Schema: S; Owner: O" headers), at DIR/<S or %global>/<t>/<N>.sql with the
# type in lower case and '_' for spaces, '/' and '%' escaped as in
# docs/paths.md. Session settings (SET, set_config) and comment lines are
# left out; entries that map to one path share the file.
split_dump()
{
	awk -v dir="$1" '
	function esc(s) { gsub(/%/, "%25", s); gsub(/\//, "%2F", s); sub(/^\./, "%2E", s); return s }
	/^-- Name: / {
		line = substr($0, 10)
		n = index(line, "; Type: "); name = substr(line, 1, n - 1); line = substr(line, n + 8)
		n = index(line, "; Schema: "); type = substr(line, 1, n - 1); line = substr(line, n + 10)
		n = index(line, "; Owner: "); schema = substr(line, 1, n - 1)
		type = tolower(type); gsub(/ /, "_", type)
		path = (schema == "-" ? "%global" : esc(schema)) "/" type
		system("mkdir -p \"" dir "/" path "\"")
		file = dir "/" path "/" esc(name) ".sql"
		next
	}
	/^--( |$)/ || /^\\/ { next }
	/^SET [a-z_]+ = / || /^SELECT pg_catalog.set_config\(/ { next }
	file != "" && !/^$/ { print >> file }
	'
}

createdb -T template0 source
psql -X -q -v ON_ERROR_STOP=1 -d source -f "$PG_HARNESS_REPO/testdata/roundtrip/pgdump_kinds.sql" \
	>/dev/null 2>&1
tree="$work/tree"
mkdir -p "$tree/public/schema"
# pg_dump does not create public (initdb does); the snapshot says it exists
printf "CREATE SCHEMA public;\nCOMMENT ON SCHEMA public IS 'standard public schema';\n" \
	>"$tree/public/schema/public.sql"
dump source --no-owner | split_dump "$tree"
assert_ne 0 "$(find "$tree" -name '*.sql' | wc -l)" "the dump was split"

repo="$work/dump.git"
git init -q --bare "$repo"
GIT_INDEX_FILE="$work/index" git --git-dir="$repo" --work-tree="$tree" add -A .
t="$(GIT_INDEX_FILE="$work/index" git --git-dir="$repo" write-tree)"
commit="$(GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t \
	git --git-dir="$repo" commit-tree -m "pg_dump of source, one blob per entry" "$t")"

createdb -T template0 target
run_ddlsnap "$work/checkout.out" checkout --git-dir "$repo" --commit "$commit" \
	--into "dbname=target"
cat "$work/checkout.out"
assert_eq 0 "$rc" "checkout of pg_dump's DDL"
assert_contains "$(cat "$work/checkout.out")" "retried" "progress is reported per phase"

dump source --no-owner >"$work/source.sql"
dump target --no-owner >"$work/target.sql"
_assert_count=$((_assert_count + 1))
if ! diff -u "$work/source.sql" "$work/target.sql"; then
	fail "pg_dump of the checkout differs from pg_dump of the source"
fi
assert_contains "$(cat "$work/target.sql")" "ATTACH PARTITION shop.orders_2024" "partitions compared"
assert_contains "$(cat "$work/target.sql")" "CREATE EVENT TRIGGER note_ddl" "event trigger compared"

finish
