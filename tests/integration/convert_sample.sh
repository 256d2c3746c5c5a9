#!/usr/bin/env bash
# Convert the bundled sample history end to end and hold the result against
# git itself: fsck --strict, the same commits and refs in the repository and
# pggit_v2, audit rows equal to git's own per-commit diff, History-Id
# trailers covering every v1 row, verify passing, and the same head SHA from
# a second conversion into fresh targets.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
v1_createdb sample
v1_load sample testdata/sample/history.sql
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"
repo="$work/one.git"

run_ddlsnap "$work/convert.out" convert --source "dbname=sample" --git-dir "$repo"
cat "$work/convert.out"
assert_eq 0 "$rc" "convert exit status"
assert_contains "$(cat "$work/convert.out")" " 0 failed" "no change failed"

# git accepts every object
fsck="$(gitc "$repo" fsck --strict --no-dangling 2>&1)" || fail "git fsck --strict: $fsck"
assert_eq "" "$fsck" "git fsck --strict output"

# one commit per change, the same commits in both sinks, main in both
git_commits="$(gitc "$repo" rev-list main | sort)"
pg_commits="$(q sample "SELECT commit_sha FROM pggit_v2.commit_graph ORDER BY 1")"
assert_eq "$pg_commits" "$git_commits" "commits in git equal commit_graph"
assert_eq "$(gitc "$repo" rev-parse main)" \
	"$(q sample "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'")" \
	"main in git and pggit_v2"
assert_eq "refs/heads/main" "$(q sample "SELECT ref_name FROM pggit_v2.head")" "HEAD"
assert_eq "$(gitc "$repo" symbolic-ref HEAD)" "refs/heads/main" "git HEAD"
groups="$(q sample "
	SELECT count(*) FROM (
	  SELECT sql_executed IS DISTINCT FROM lag(sql_executed) OVER w
	      OR created_by IS DISTINCT FROM lag(created_by) OVER w
	      OR created_at IS DISTINCT FROM lag(created_at) OVER w AS starts
	    FROM pggit.history WINDOW w AS (ORDER BY created_at, id)) s WHERE starts")"
assert_eq "$groups" "$(gitc "$repo" rev-list --count main)" "one commit per change group"

# every v1 row is named by exactly one History-Id trailer, in history order
trailers="$(gitc "$repo" log --reverse --format='%(trailers:key=History-Id,valueonly)' main |
	sed '/^$/d')"
assert_eq "$(q sample "SELECT id FROM pggit.history ORDER BY created_at, id")" "$trailers" \
	"History-Id trailers"

# each commit's tree is the one commit_graph names, and commit objects are
# byte-identical in both sinks
for c in $(gitc "$repo" rev-list main); do
	assert_eq "$(gitc "$repo" rev-parse "$c^{tree}")" \
		"$(q sample "SELECT tree_sha FROM pggit_v2.commit_graph WHERE commit_sha = '$c'")" \
		"tree of $c"
	assert_eq "$(gitc "$repo" cat-file commit "$c" | md5sum | cut -c1-32)" \
		"$(q sample "SELECT md5(content) FROM pggit_v2.objects WHERE sha = '$c'")" \
		"body of commit $c"
	# audit rows are exactly git's view of what the commit changed
	git_changes="$(gitc "$repo" diff-tree --root --no-commit-id -r --name-status "$c" |
		awk -F'\t' '{ t = ($1 == "A") ? "CREATE" : ($1 == "D") ? "DROP" : "ALTER"; print t " " $2 }' |
		LC_ALL=C sort)"
	audit="$(q sample "SELECT change_type || ' ' || object_path FROM pggit_audit.changes
		WHERE commit_sha = '$c'" | LC_ALL=C sort)"
	assert_eq "$git_changes" "$audit" "audit rows of $c"
done

# audit rows carry the definitions from the blobs
bad="$(q sample "SELECT count(*) FROM pggit_audit.changes a
	WHERE (change_type = 'CREATE' AND (old_definition IS NOT NULL OR new_definition IS NULL))
	   OR (change_type = 'DROP' AND (old_definition IS NULL OR new_definition IS NOT NULL))
	   OR (change_type = 'ALTER' AND old_definition IS NOT DISTINCT FROM new_definition)")"
assert_eq 0 "$bad" "audit definitions match the change type"
some="$(q sample "SELECT object_path FROM pggit_audit.changes WHERE change_type = 'CREATE'
	ORDER BY committed_at, object_path LIMIT 1")"
first_commit="$(q sample "SELECT commit_sha FROM pggit_audit.changes WHERE object_path = '$some'
	AND change_type = 'CREATE' ORDER BY committed_at LIMIT 1")"
assert_eq "$(gitc "$repo" show "$first_commit:$some")" \
	"$(q sample "SELECT new_definition FROM pggit_audit.changes WHERE object_path = '$some'
	AND commit_sha = '$first_commit'")" "new_definition equals the blob"

# the history is only read
assert_eq 0 "$(q sample "SELECT count(*) FROM pggit_v2.failed_changes")" "no failures recorded"

# verify passes, replaying the history again too
run_ddlsnap "$work/verify.out" verify --source "dbname=sample" --git-dir "$repo" --replay
cat "$work/verify.out"
assert_eq 0 "$rc" "verify exit status"
assert_contains "$(cat "$work/verify.out")" "24 of 24 commits reproduced by replaying the history" \
	"verify --replay reproduces every commit"
assert_eq "0" "$(q sample "SELECT count(*) FROM pggit_audit.changes WHERE NOT verified")" \
	"a passing verify marks every audit row verified"
assert_eq "$(q sample "SELECT count(*) FROM pggit_audit.changes")" \
	"$(q sample "SELECT count(*) FROM pggit_audit.compliance_log
	   WHERE change_id IS NOT NULL AND verification_status = 'PASSED'")" \
	"one compliance row per verified audit row"
assert_eq "PASSED" "$(q sample "SELECT verification_status FROM pggit_audit.compliance_log
	WHERE change_id IS NULL")" "the run's verdict is logged"
set +e
tamper="$(q sample "DELETE FROM pggit_audit.compliance_log" 2>&1)"
set -e
assert_contains "$tamper" "compliance_log is append-only (DELETE refused)" "the log refuses DELETE"
set +e
tamper="$(q sample "UPDATE pggit_audit.compliance_log SET verification_status = 'FAILED'" 2>&1)"
tamper="$tamper $(q sample "TRUNCATE pggit_audit.compliance_log" 2>&1)"
set -e
assert_contains "$tamper" "(UPDATE refused)" "the log refuses UPDATE"
assert_contains "$tamper" "(TRUNCATE refused)" "the log refuses TRUNCATE"

# converting again into fresh targets gives the same head; this time the
# shadow is a database we keep, so PostgreSQL can judge the replay: its
# schema must be the schema the history built in the source
createdb target2
createdb shadow2
run_ddlsnap "$work/convert2.out" convert --source "dbname=sample" --target "dbname=target2" \
	--shadow "dbname=shadow2" --git-dir "$work/two.git" --quiet --batch-size 3
assert_eq 0 "$rc" "second convert exit status"
dump_schema sample >"$work/source.dump"
dump_schema shadow2 >"$work/shadow.dump"
assert_eq "" "$(diff "$work/source.dump" "$work/shadow.dump")" \
	"pg_dump of the replayed shadow equals pg_dump of the source"
assert_contains "$(cat "$work/shadow.dump")" "CREATE TABLE public.order_lines" \
	"the dump compared is not empty"
run_ddlsnap "$work/convert_busy.out" convert --source "dbname=sample" --target "dbname=target2" \
	--shadow "dbname=shadow2" --quiet
assert_eq 3 "$rc" "a shadow that is not empty is refused"
assert_contains "$(cat "$work/convert_busy.out")" "shadow database shadow2 is not empty" \
	"the refusal names the shadow"
assert_eq "$(gitc "$repo" rev-parse main)" "$(gitc "$work/two.git" rev-parse main)" \
	"same head commit from a second conversion"
assert_eq "$(q sample "SELECT count(*) FROM pggit_audit.changes")" \
	"$(q target2 "SELECT count(*) FROM pggit_audit.changes")" "same audit rows in a fresh target"
assert_eq "" "$(q sample "SELECT schema_name FROM information_schema.schemata
	WHERE schema_name LIKE 'pggit_%' AND schema_name NOT IN ('pggit_v2', 'pggit_audit')")" \
	"no other schema written to the source"
assert_eq "" "$(q postgres "SELECT datname FROM pg_database WHERE datname LIKE 'ddlsnap_shadow%'")" \
	"scratch shadow databases dropped"

# rerunning into the same target writes nothing new
before="$(q sample "SELECT (SELECT count(*) FROM pggit_v2.objects) || '/' ||
	(SELECT count(*) FROM pggit_audit.changes)")"
run_ddlsnap "$work/convert3.out" convert --source "dbname=sample" --git-dir "$repo" --quiet
assert_eq 0 "$rc" "rerun exit status"
assert_eq "$before" "$(q sample "SELECT (SELECT count(*) FROM pggit_v2.objects) || '/' ||
	(SELECT count(*) FROM pggit_audit.changes)")" "rerun adds no rows"

finish
