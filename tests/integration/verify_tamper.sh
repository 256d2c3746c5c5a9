#!/usr/bin/env bash
# verify must catch what it claims to catch: each damage below is made to a
# converted store (or its repository), verify must exit 1 naming it, and
# once the damage is undone verify must pass again.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
v1_createdb t
v1_load t testdata/cases/rename_drop.sql
repo="$PG_HARNESS_DIR/t.git"
out="$PG_HARNESS_DIR/verify.out"
run_ddlsnap "$out" convert --source "dbname=t" --git-dir "$repo" --quiet
assert_eq 0 "$rc" "convert"

# expect_finding CHECK TEXT WHAT: verify fails, the CHECK line says FAIL and TEXT is reported
expect_finding()
{
	run_ddlsnap "$out" verify --source "dbname=t" --git-dir "$repo"
	assert_eq 1 "$rc" "$3: verify exit status"
	assert_contains "$(cat "$out")" "FAIL   $1" "$3: the $1 check fails"
	assert_contains "$(cat "$out")" "$2" "$3: the finding"
}

expect_clean()
{
	run_ddlsnap "$out" verify --source "dbname=t" --git-dir "$repo"
	assert_eq 0 "$rc" "$1: verify passes again ($(cat "$out"))"
}

expect_clean "undamaged"
createdb empty
run_ddlsnap "$out" verify --source "dbname=t" --target "dbname=empty"
assert_eq 3 "$rc" "verify of a target without a store"
assert_contains "$(cat "$out")" "holds no converted history" "and it says why"
blob="$(gitc "$repo" rev-parse main:public/table/products.sql)"
head="$(gitc "$repo" rev-parse main)"
parent="$(gitc "$repo" rev-parse main~1)"
tree="$(gitc "$repo" rev-parse main:public)"

# a blob's content edited in the store
q t "UPDATE pggit_v2.objects SET content = content || '\x0a'::bytea WHERE sha = '$blob'" >/dev/null
expect_finding objects "blob $blob: its content hashes to" "edited blob"
expect_finding git "blob $blob differs in the repository" "edited blob, against git"
q t "UPDATE pggit_v2.objects SET content = substring(content FROM 1 FOR length(content) - 1)
	WHERE sha = '$blob'" >/dev/null
expect_clean "blob restored"

# tree_entries is a view over the tree bodies: it lists what git lists
got="$(q t "SELECT mode || ' ' || object_sha || ' ' || path FROM pggit_v2.tree_entries
	WHERE tree_sha = '$tree' ORDER BY path COLLATE \"C\"")"
want="$(gitc "$repo" ls-tree main:public | sed -E 's/^0?([0-7]+) (blob|tree) ([0-9a-f]+)\t/\1 \3 /')"
assert_ne "" "$got" "tree_entries lists the entries of $tree"
assert_eq "$want" "$got" "tree_entries lists what git ls-tree lists"

# a tree's entries reordered: the body is rewritten with perl (part of every
# Debian system), entries swapped but each kept whole
q t "COPY (SELECT encode(content, 'hex') FROM pggit_v2.objects WHERE sha = '$tree') TO STDOUT" \
	>"$PG_HARNESS_DIR/tree.hex"
swapped="$(perl -e '
	my $b = pack("H*", <STDIN> =~ s/\s//gr);
	my @e; push @e, $1 while $b =~ /\G(\d+ [^\0]+\0.{20})/gs;
	@e[0, 1] = @e[1, 0];
	print unpack("H*", join("", @e));' <"$PG_HARNESS_DIR/tree.hex")"
q t "UPDATE pggit_v2.objects SET content = decode('$swapped', 'hex') WHERE sha = '$tree'" >/dev/null
expect_finding trees "is out of order" "tree entries reordered"
q t "UPDATE pggit_v2.objects SET content = decode('$(cat "$PG_HARNESS_DIR/tree.hex")', 'hex')
	WHERE sha = '$tree'" >/dev/null
expect_clean "tree order restored"

# an object deleted (no foreign key stops it: tree entries are not rows of their own)
q t "CREATE TEMP TABLE gone AS SELECT * FROM pggit_v2.objects WHERE sha = '$blob';
	DELETE FROM pggit_v2.objects WHERE sha = '$blob';
	COPY gone TO STDOUT" >"$PG_HARNESS_DIR/blob.row"
expect_finding trees "points at missing object $blob" "blob deleted"
q t "CREATE TEMP TABLE gone (LIKE pggit_v2.objects); COPY gone FROM STDIN;
	INSERT INTO pggit_v2.objects SELECT * FROM gone" <"$PG_HARNESS_DIR/blob.row" >/dev/null
expect_clean "blob restored"

# a commit's parent pointed elsewhere in commit_graph
q t "UPDATE pggit_v2.commit_graph SET parent_shas = ARRAY['$head'] WHERE commit_sha = '$head'" \
	>/dev/null
expect_finding commits "commit $head: commit_graph names different parents" "parent moved"
q t "UPDATE pggit_v2.commit_graph SET parent_shas = ARRAY['$parent'] WHERE commit_sha = '$head'" \
	>/dev/null
expect_clean "parent restored"

# main moved back one commit, in the store and then in git
q t "UPDATE pggit_v2.refs SET target_sha = '$parent' WHERE name = 'refs/heads/main'" >/dev/null
expect_finding refs "commits reachable from refs/heads/main" "store ref moved"
q t "UPDATE pggit_v2.refs SET target_sha = '$head' WHERE name = 'refs/heads/main'" >/dev/null
gitc "$repo" update-ref refs/heads/main "$parent"
expect_finding refs "refs/heads/main differs in the repository" "git ref moved"
gitc "$repo" update-ref refs/heads/main "$head"
expect_clean "refs restored"

# a history row no commit covers any more
last_id="$(q t "SELECT max(id) FROM pggit.history")"
q t "UPDATE pggit_v2.commit_graph SET history_ids = '{}' WHERE commit_sha = '$head'" >/dev/null
expect_finding coverage "history $last_id is covered by no commit" "coverage removed"
q t "UPDATE pggit_v2.commit_graph SET history_ids = ARRAY[$last_id]::bigint[]
	WHERE commit_sha = '$head'" >/dev/null
expect_clean "coverage restored"

# a row covered twice
q t "UPDATE pggit_v2.commit_graph SET history_ids = history_ids || ARRAY[$last_id]::bigint[]
	WHERE commit_sha = '$parent'" >/dev/null
expect_finding coverage "history $last_id is covered more than once" "coverage duplicated"
q t "UPDATE pggit_v2.commit_graph SET history_ids = array_remove(history_ids, $last_id::bigint)
	WHERE commit_sha = '$parent'" >/dev/null
expect_clean "duplicate coverage removed"

# a commit deleted from commit_graph: its rows lose their cover, the chain breaks
middle="$(gitc "$repo" rev-parse main~4)"
middle_ids="$(q t "SELECT array_to_string(history_ids, ' ') FROM pggit_v2.commit_graph
	WHERE commit_sha = '$middle'")"
q t "CREATE TEMP TABLE gone AS SELECT * FROM pggit_v2.commit_graph WHERE commit_sha = '$middle';
	DELETE FROM pggit_v2.commit_graph WHERE commit_sha = '$middle';
	COPY gone TO STDOUT" >"$PG_HARNESS_DIR/commit.row"
expect_finding coverage "history ${middle_ids%% *} is covered by no commit" "commit deleted"
assert_contains "$(cat "$out")" "the chain of parents from refs/heads/main is broken" \
	"commit deleted: the refs check sees the broken chain"
q t "CREATE TEMP TABLE gone (LIKE pggit_v2.commit_graph); COPY gone FROM STDIN;
	INSERT INTO pggit_v2.commit_graph SELECT * FROM gone" <"$PG_HARNESS_DIR/commit.row" >/dev/null
expect_clean "commit restored"

# an audit row deleted, edited, duplicated
audit_row="$(q t "SELECT change_id FROM pggit_audit.changes WHERE commit_sha = '$head'")"
audit_path="$(q t "SELECT object_path FROM pggit_audit.changes WHERE change_id = '$audit_row'")"
audit_type="$(q t "SELECT change_type FROM pggit_audit.changes WHERE change_id = '$audit_row'")"
q t "CREATE TEMP TABLE keep AS SELECT * FROM pggit_audit.changes WHERE change_id = '$audit_row';
	DELETE FROM pggit_audit.changes WHERE change_id = '$audit_row';
	COPY keep TO STDOUT" >"$PG_HARNESS_DIR/audit.row"
expect_finding audit "commit ${head:0:12}: no audit row for the $audit_type of $audit_path" \
	"audit row deleted"
q t "CREATE TEMP TABLE keep (LIKE pggit_audit.changes);
	COPY keep FROM STDIN; INSERT INTO pggit_audit.changes SELECT * FROM keep" \
	<"$PG_HARNESS_DIR/audit.row" >/dev/null
expect_clean "audit row restored"
q t "UPDATE pggit_audit.changes SET new_definition = new_definition || ' ' WHERE change_id =
	(SELECT change_id FROM pggit_audit.changes WHERE change_type = 'CREATE' LIMIT 1)" >/dev/null
expect_finding audit "differs from the commit's blob" "audit definition edited"
q t "UPDATE pggit_audit.changes SET new_definition = rtrim(new_definition, ' ')
	WHERE change_type = 'CREATE'" >/dev/null
expect_clean "audit definition restored"
q t "ALTER TABLE pggit_audit.changes DROP CONSTRAINT changes_commit_sha_object_path_key;
	INSERT INTO pggit_audit.changes (commit_sha, object_schema, object_name, object_type,
	  object_path, change_type, old_definition, new_definition)
	SELECT commit_sha, object_schema, object_name, object_type, object_path, change_type,
	  old_definition, new_definition FROM pggit_audit.changes WHERE change_id = '$audit_row'" >/dev/null
expect_finding audit "$audit_path has more than one audit row" "audit row duplicated"
assert_eq 0 "$(q t "SELECT count(*) FROM pggit.history WHERE sql_executed LIKE '%pggit_audit%'")" \
	"tampering with the store was not itself recorded as history"
q t "DELETE FROM pggit_audit.changes a USING pggit_audit.changes b
	WHERE a.object_path = b.object_path AND a.commit_sha = b.commit_sha
	  AND a.change_id > b.change_id" >/dev/null
expect_clean "duplicate audit row removed"

# the v1 history edited after the conversion: replaying it no longer gives
# the stored commits (the author is part of the commit), from that commit on
author="$(q t "SELECT created_by FROM pggit.history WHERE id = $last_id")"
q t "UPDATE pggit.history SET created_by = 'mallory' WHERE id = $last_id" >/dev/null
run_ddlsnap "$out" verify --source "dbname=t" --git-dir "$repo" --replay
assert_eq 1 "$rc" "edited history: verify --replay exit status"
assert_contains "$(cat "$out")" "commit 9: the replay gives" "edited history: the commit is named"
assert_eq 1 "$(grep -c '^  FAIL' "$out")" "edited history: only replay fails"
q t "UPDATE pggit.history SET created_by = '$author' WHERE id = $last_id" >/dev/null
run_ddlsnap "$out" verify --source "dbname=t" --git-dir "$repo" --replay
assert_eq 0 "$rc" "history restored: verify --replay passes ($(cat "$out"))"

# the live schema changed behind the history's back (the fixture records the
# DDL, so the history row is removed again: only the schema drifts)
q t "ALTER TABLE products ADD COLUMN note text; CREATE INDEX products_note_idx ON products (note);
	DELETE FROM pggit.history WHERE sql_executed LIKE '%products_note_idx%'
	   OR sql_executed LIKE '%ADD COLUMN note%'" >/dev/null
psql -X -q -d t -c "CREATE SEQUENCE stray_seq" -c "DROP VIEW low_stock" \
	-c "DELETE FROM pggit.history WHERE sql_executed IN ('DROP VIEW low_stock', 'CREATE SEQUENCE stray_seq')"
expect_finding drift "public/table/products.sql differs between the live schema and the history" \
	"live table altered"
assert_contains "$(cat "$out")" "public/sequence/stray_seq.sql exists in the live schema but not" \
	"live sequence created"
assert_contains "$(cat "$out")" "public/view/low_stock.sql is in the history but not in the live" \
	"live view dropped"
assert_eq 1 "$(grep -c '^  FAIL' "$out")" "only drift fails"
assert_eq "FAILED" "$(q t "SELECT verification_status FROM pggit_audit.compliance_log
	WHERE change_id IS NULL ORDER BY log_id DESC LIMIT 1")" "a failed run is logged as FAILED"
assert_contains "$(q t "SELECT verification_notes FROM pggit_audit.compliance_log
	WHERE change_id IS NULL ORDER BY log_id DESC LIMIT 1")" "drift FAILED" \
	"the log names the failing check"

finish
