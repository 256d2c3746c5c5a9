#!/usr/bin/env bash
# ddlsnap snapshot: a live database becomes one commit on main, in git and
# in the v2 store; git accepts it (fsck --strict), a second snapshot of the
# same schema writes nothing, a change gives a child commit whose audit rows
# name exactly the objects that changed (git diff-tree is the oracle),
# comments and privileges are part of the object's text, and owners only
# with --with-owners. Sinks that disagree on main are refused.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"
repo="$work/live.git"

createdb -T template0 live
psql -q -v ON_ERROR_STOP=1 -d live <<'SQL'
DO $$ BEGIN CREATE ROLE ddlsnap_snap_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
CREATE TABLE app.items (id integer PRIMARY KEY, label text);
COMMENT ON COLUMN app.items.label IS 'what the user sees';
GRANT SELECT ON app.items TO ddlsnap_snap_reader;
CREATE VIEW app.labels AS SELECT label FROM app.items;
SQL

# First snapshot: a root commit holding every object, in both sinks.
run_ddlsnap "$work/s1.out" snapshot --source "dbname=live" --git-dir "$repo" --target "dbname=live"
assert_eq 0 "$rc" "first snapshot ($(cat "$work/s1.out"))"
first="$(grep -E '^[0-9a-f]{40}$' "$work/s1.out")"
assert_eq "$first" "$(gitc "$repo" rev-parse main)" "the printed SHA is main in git"
assert_eq "$first" "$(q live "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'")" \
	"the printed SHA is main in the store"
assert_eq "" "$(gitc "$repo" fsck --strict --no-dangling 2>&1)" "git fsck --strict"
assert_eq "" "$(gitc "$repo" log -1 --format=%P main)" "a root commit"
table="$(gitc "$repo" show main:app/table/items.sql)"
assert_contains "$table" "COMMENT ON COLUMN app.items.label IS 'what the user sees';" "column comment"
assert_contains "$table" "GRANT SELECT ON TABLE app.items TO ddlsnap_snap_reader;" "grant"
assert_not_contains "$table" "OWNER TO" "no owner without --with-owners"
files="$(gitc "$repo" ls-tree -r --name-only main | sort | tr '\n' ' ')"
assert_eq "app/schema/app.sql app/table/items.sql app/view/labels.sql public/schema/public.sql " \
	"$files" "one blob per object"
assert_eq "4" "$(q live "SELECT count(*) FROM pggit_audit.changes WHERE commit_sha = '$first' AND change_type = 'CREATE'")" \
	"a root commit's audit rows create every object"
# The store holds the same objects git does, byte for byte.
blob="$(gitc "$repo" rev-parse main:app/table/items.sql)"
assert_eq "$table" "$(q live "SELECT convert_from(content, 'UTF8') FROM pggit_v2.objects WHERE sha = '$blob'")" \
	"the store's blob is git's blob"

# The same schema again: nothing is written.
run_ddlsnap "$work/s2.out" snapshot --source "dbname=live" --git-dir "$repo" --target "dbname=live"
assert_eq 0 "$rc" "second snapshot"
assert_contains "$(cat "$work/s2.out")" "nothing written" "an unchanged schema is not committed again"
assert_eq "$first" "$(gitc "$repo" rev-parse main)" "main did not move"
assert_eq "1" "$(q live "SELECT count(*) FROM pggit_v2.commit_graph")" "one commit in the store"

# A change: one child commit; audit rows are git's own diff of the two trees.
psql -q -v ON_ERROR_STOP=1 -d live -c "ALTER TABLE app.items ADD COLUMN price numeric" \
	-c "CREATE SEQUENCE app.tickets"
run_ddlsnap "$work/s3.out" snapshot --source "dbname=live" --git-dir "$repo" --target "dbname=live" \
	--message "Add prices"
assert_eq 0 "$rc" "third snapshot"
second="$(grep -E '^[0-9a-f]{40}$' "$work/s3.out")"
assert_eq "$first" "$(gitc "$repo" rev-parse "$second^")" "the new commit's parent is the old main"
assert_eq "Add prices" "$(gitc "$repo" log -1 --format=%s main)" "--message"
git_diff="$(gitc "$repo" diff-tree -r --no-commit-id --name-status "$first" "$second" |
	sed 's/^A/CREATE/; s/^M/ALTER/; s/^D/DROP/' | tr '\t' ' ' | sort)"
audit="$(q live "SELECT change_type || ' ' || object_path FROM pggit_audit.changes
	WHERE commit_sha = '$second' ORDER BY 1")"
assert_eq "$git_diff" "$audit" "audit rows are the objects git says changed"
assert_eq "CREATE app/sequence/tickets.sql" "$(echo "$audit" | grep sequence)" "the new sequence"
assert_eq "2" "$(q live "SELECT generation FROM pggit_v2.commit_graph WHERE commit_sha = '$second'")" \
	"generation follows the parent"

# Owners only on request; a separate repository, since it is another schema text.
run_ddlsnap "$work/s4.out" snapshot --source "dbname=live" --git-dir "$work/owners.git" --with-owners
assert_eq 0 "$rc" "snapshot --with-owners"
assert_contains "$(gitc "$work/owners.git" show main:app/table/items.sql)" \
	"ALTER TABLE app.items OWNER TO postgres;" "--with-owners writes the owner"

# The sinks disagree on main: refused, nothing written.
psql -q -d live -c "CREATE TABLE app.more (x int)"
run_ddlsnap "$work/s5.out" snapshot --source "dbname=live" --git-dir "$work/owners.git" --target "dbname=live"
assert_eq 3 "$rc" "disagreeing sinks are refused"
assert_contains "$(cat "$work/s5.out")" "differs between the git repository" "and the message says why"
assert_eq "$second" "$(q live "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'")" \
	"the store's main did not move"

# Usage errors.
run_ddlsnap "$work/u1.out" snapshot --source "dbname=live"
assert_eq 2 "$rc" "a snapshot needs a sink"
assert_contains "$(cat "$work/u1.out")" "--git-dir or --target" "and says so"
run_ddlsnap "$work/u2.out" snapshot --git-dir "$repo"
assert_eq 2 "$rc" "a snapshot needs --source"

finish
