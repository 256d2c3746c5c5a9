#!/usr/bin/env bash
# pggit_v2.tree_entries is a view over the tree objects' bodies. A store
# written when it was a table (one row per entry of every tree) is upgraded
# by the next run: the table is replaced by the view only when its rows are
# exactly what the tree bodies hold; a table that differs is left alone and
# the run stops, saying so. Either way the store's commits stay as they were.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
v1_createdb src
v1_load src testdata/sample/history.sql
createdb store
out="$PG_HARNESS_DIR/out"
run_ddlsnap "$out" convert --source dbname=src --target dbname=store --quiet
assert_eq 0 "$rc" "convert ($(cat "$out"))"
head="$(q store "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'")"
entries="$(q store "SELECT count(*) FROM pggit_v2.tree_entries")"
assert_ne 0 "$entries" "the view lists entries"
assert_eq v "$(q store "SELECT relkind FROM pg_class WHERE oid = 'pggit_v2.tree_entries'::regclass")" \
	"tree_entries is a view"
# Object bodies are compressed with lz4 (Debian's PostgreSQL is built with it), also those
# large enough to be compressed on their way through the staging table: a function of 6 kB.
assert_eq l "$(q store "SELECT attcompression FROM pg_attribute
	WHERE attrelid = 'pggit_v2.objects'::regclass AND attname = 'content'")" "bodies use lz4"
v1_createdb big
{
	printf 'CREATE FUNCTION big() RETURNS text LANGUAGE sql AS $f$ SELECT %s$f$;\n' \
		"$(printf "'a long constant %04d' || " $(seq 1 300))''"
} > "$PG_HARNESS_DIR/big.sql"
v1_load big "$PG_HARNESS_DIR/big.sql"
createdb bigstore
run_ddlsnap "$out" convert --source dbname=big --target dbname=bigstore --quiet
assert_eq 0 "$rc" "convert of a large function ($(cat "$out"))"
assert_eq lz4 "$(q bigstore "SELECT string_agg(DISTINCT pg_column_compression(content), ',')
	FROM pggit_v2.objects WHERE type = 'blob'")" "the large blob is stored with lz4"

# table_as_before EXTRA_SQL: tree_entries back as the table older runs wrote
table_as_before()
{
	q store "CREATE TABLE pggit_v2.te AS SELECT * FROM pggit_v2.tree_entries;
		DROP VIEW pggit_v2.tree_entries;
		ALTER TABLE pggit_v2.te RENAME TO tree_entries;
		ALTER TABLE pggit_v2.tree_entries ADD PRIMARY KEY (tree_sha, path);
		$1" >/dev/null
	assert_eq r "$(q store "SELECT relkind FROM pg_class WHERE oid = 'pggit_v2.tree_entries'::regclass")" \
		"tree_entries is a table again"
}

# A table that holds one row no tree holds: left alone, and the run says why.
table_as_before "INSERT INTO pggit_v2.tree_entries
	SELECT tree_sha, 'stray.sql', '100644', object_sha FROM pggit_v2.tree_entries LIMIT 1"
run_ddlsnap "$out" convert --source dbname=src --target dbname=store --quiet
assert_ne 0 "$rc" "a differing tree_entries table stops the run"
assert_contains "$(cat "$out")" "pggit_v2.tree_entries differs from the tree objects in 1 rows" \
	"the error says what differs"
assert_eq r "$(q store "SELECT relkind FROM pg_class WHERE oid = 'pggit_v2.tree_entries'::regclass")" \
	"the differing table is kept"
assert_eq "$((entries + 1))" "$(q store "SELECT count(*) FROM pggit_v2.tree_entries")" \
	"with all its rows"

# The same table without the stray row: replaced by the view, nothing lost,
# and who could read the table can read the view.
q store "DELETE FROM pggit_v2.tree_entries WHERE path = 'stray.sql';
	CREATE ROLE tree_reader; GRANT USAGE ON SCHEMA pggit_v2 TO tree_reader;
	GRANT SELECT ON pggit_v2.tree_entries, pggit_v2.objects TO tree_reader" >/dev/null
run_ddlsnap "$out" convert --source dbname=src --target dbname=store --quiet
assert_eq 0 "$rc" "the next run upgrades the store ($(cat "$out"))"
assert_eq v "$(q store "SELECT relkind FROM pg_class WHERE oid = 'pggit_v2.tree_entries'::regclass")" \
	"tree_entries is a view again"
assert_eq "$entries" "$(q store "SELECT count(*) FROM pggit_v2.tree_entries")" "the same entries"
assert_eq "$head" "$(q store "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'")" \
	"the same head"
run_ddlsnap "$out" verify --source dbname=src --target dbname=store
assert_eq 0 "$rc" "verify passes on the upgraded store ($(cat "$out"))"
assert_eq "$entries" "$(q store "SET ROLE tree_reader; SELECT count(*) FROM pggit_v2.tree_entries")" \
	"the table's reader reads the view"

# A tree body the parser cannot read is an error naming it, never rows.
# bad_tree BODY_HEX: the error selecting the entries of a tree with that body
bad_tree()
{
	local sha
	sha="$(printf '%s' "$1" | sha1sum | cut -c1-40)"
	q store "INSERT INTO pggit_v2.objects VALUES ('$sha', 'tree', length(decode('$1', 'hex')),
		decode('$1', 'hex'))" >/dev/null
	psql -X -q -d store -c "SELECT * FROM pggit_v2.tree_entries WHERE tree_sha = '$sha'" 2>&1 >/dev/null || true
	q store "DELETE FROM pggit_v2.objects WHERE sha = '$sha'" >/dev/null
}
sha20="$(printf '00%.0s' {1..19})20"   # a SHA whose bytes hold NUL and space
good="$(printf '100644 a.sql' | od -An -tx1 | tr -d ' \n')00$sha20"
assert_eq "" "$(bad_tree "$good")" "a valid body, SHA bytes NUL and space included, is read"
assert_eq "a.sql|100644|$sha20" "$(q store "SELECT path || '|' || mode || '|' || object_sha
	FROM pggit_v2.tree_body_entries(decode('$good$good', 'hex')) LIMIT 1")" \
	"its entry is read whole"
assert_contains "$(bad_tree "${good:0:${#good}-2}")" "not a git tree body: malformed entry at byte 1" \
	"a truncated SHA"
assert_contains "$(bad_tree "$(printf '100644 a.sql' | od -An -tx1 | tr -d ' \n')")" \
	"not a git tree body" "no NUL after the name"
assert_contains "$(bad_tree "$(printf '100755 a.sql' | od -An -tx1 | tr -d ' \n')00$sha20")" \
	'entry "a.sql" has mode 100755' "a mode ddlsnap never writes"

finish
