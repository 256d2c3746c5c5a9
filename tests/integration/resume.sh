#!/usr/bin/env bash
# Long runs you can trust. The converter is killed for real (SIGKILL, from
# DDLSNAP_TESTPOINT, see include/ddlsnap/testpoint.h) during a replay, while
# writing git objects, between a batch's writes and its COMMIT, and between
# the COMMIT and git's ref; a rerun of the same command must end with the
# same head SHA and the same rows as an uninterrupted run, no duplicates,
# git level with the store, and verify passing. Then --from-id (in the
# middle, unknown id, an id inside a change, a store that lacks what comes
# before), the one-conversion-per-target lock, the registry and its view
# and `status` seen from another session while a run is stopped in the
# middle, --events, and SIGINT.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"
v1_createdb sample
v1_load sample testdata/sample/history.sql

# counts DB: the store's rows, the same whatever happened on the way
counts()
{
	q "$1" "SELECT (SELECT count(*) FROM pggit_v2.objects) || ' objects, '
		|| (SELECT count(*) FROM pggit_v2.tree_entries) || ' entries, '
		|| (SELECT count(*) FROM pggit_v2.commit_graph) || ' commits, '
		|| (SELECT count(*) FROM pggit_audit.changes) || ' audit rows, '
		|| (SELECT count(DISTINCT (commit_sha, object_path)) FROM pggit_audit.changes) || ' distinct, '
		|| (SELECT count(*) FROM pggit_v2.failed_changes) || ' failures'"
}
store_head()
{
	q "$1" "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'"
}
convert_into() # NAME [ARGS...]: convert the sample into database NAME and $work/NAME.git
{
	local name="$1"
	shift
	run_ddlsnap "$work/$name.out" convert --source "dbname=sample" --target "dbname=$name" \
		--git-dir "$work/$name.git" --batch-size 5 --quiet "$@"
}

# The reference: one uninterrupted run.
createdb ref
convert_into ref --events "$work/ref.events"
assert_eq 0 "$rc" "uninterrupted run ($(cat "$work/ref.out"))"
want_head="$(store_head ref)"
want_counts="$(counts ref)"
assert_eq "$want_head" "$(gitc "$work/ref.git" rev-parse main)" "reference: git and store agree"

# --events: one line per batch of 5 changes, one at the end; JSON a machine reads.
changes="$(q sample "SELECT count(DISTINCT (sql_executed, created_by, created_at)) FROM pggit.history")"
batches=$(((changes + 4) / 5))
assert_eq "$batches" "$(grep -c '"event": "batch"' "$work/ref.events")" "one event per batch"
end="$(grep '"event": "end"' "$work/ref.events")"
assert_contains "$end" '"status": "completed"' "an end event"
assert_eq "completed $changes" "$(python3 -c 'import json,sys
e=[json.loads(l) for l in open(sys.argv[1])][-1]
print(e["status"], e["processed_changes"])' "$work/ref.events")" "events parse as JSON"

# The registry row of a finished run, and status.
assert_eq "completed|42|42|100.0|$want_head" \
	"$(q ref "SELECT status, rows_processed, rows_expected, percent_complete, head_sha FROM pggit_v2.v_backfill_status")" \
	"registry: a completed run"
args="$(q ref "SELECT arguments FROM pggit_v2.backfill_runs")"
assert_contains "$args" "--source 'dbname=sample'" "registry: the arguments"
run_ddlsnap "$work/status.out" status --source "dbname=sample" --target "dbname=ref"
assert_eq 0 "$rc" "status"
assert_contains "$(cat "$work/status.out")" "percent_complete     100.0 %" "status: percent complete"
run_ddlsnap "$work/status.json" status --source "dbname=sample" --target "dbname=ref" --json
assert_eq "completed 42" "$(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))[0]; print(r["status"], r["rows_processed"])' "$work/status.json")" "status --json"

# Kill it for real at each point, rerun, compare.
for point in replay:7 git-write:40 batch-commit:2 git-ref:3 batch-commit:5; do
	name="crash_${point//[:-]/_}"
	createdb "$name"
	DDLSNAP_TESTPOINT="$point:kill" convert_into "$name"
	assert_eq 137 "$rc" "$point: the converter was killed ($(cat "$work/$name.out"))"
	assert_eq "running" "$(q "$name" "SELECT status FROM pggit_v2.backfill_runs")" \
		"$point: the killed run's row says running"
	convert_into "$name"
	assert_eq 0 "$rc" "$point: the rerun ($(cat "$work/$name.out"))"
	assert_eq "$want_head" "$(store_head "$name")" "$point: same head SHA in the store"
	assert_eq "$want_head" "$(gitc "$work/$name.git" rev-parse main)" "$point: same head SHA in git"
	assert_eq "$want_counts" "$(counts "$name")" "$point: same rows, no duplicates"
	assert_eq "interrupted completed" \
		"$(q "$name" "SELECT string_agg(status, ' ' ORDER BY run_id) FROM pggit_v2.backfill_runs")" \
		"$point: the dead run is marked interrupted"
	assert_eq "" "$(gitc "$work/$name.git" fsck --strict --no-dangling 2>&1)" "$point: git fsck"
	run_ddlsnap "$work/$name.verify" verify --source "dbname=sample" --target "dbname=$name" \
		--git-dir "$work/$name.git"
	assert_eq 0 "$rc" "$point: verify passes ($(cat "$work/$name.verify"))"
done
# The rerun after the last kill replayed what was committed rather than redoing it.
assert_contains "$(cat "$work/crash_batch_commit_5.out")" "changes were already in the target" \
	"a rerun says what it resumed"

# --from-id in the middle: a run stopped after two batches, continued from the next change.
createdb from_mid
DDLSNAP_TESTPOINT="batch-commit:3:kill" convert_into from_mid
last="$(q from_mid "SELECT last_history_id FROM pggit_v2.backfill_runs")"
next_id="$(q sample "SELECT min(id) FROM pggit.history WHERE id > $last")"
convert_into from_mid --from-id "$next_id"
assert_eq 0 "$rc" "--from-id $next_id after a stop ($(cat "$work/from_mid.out"))"
assert_eq "$want_head" "$(store_head from_mid)" "--from-id: same head SHA"
assert_eq "$want_counts" "$(counts from_mid)" "--from-id: same rows"

# --from-id errors: unknown id, an id inside a change, a store without what comes before.
convert_into from_mid --from-id 999999
assert_eq 3 "$rc" "unknown --from-id"
assert_contains "$(cat "$work/from_mid.out")" "no history row has this id" "and says so"
inside="$(q sample "SELECT max(id) FROM pggit.history GROUP BY sql_executed, created_by, created_at
	HAVING count(*) > 1 ORDER BY 1 LIMIT 1")"
convert_into from_mid --from-id "$inside"
assert_eq 3 "$rc" "--from-id inside a change"
assert_contains "$(cat "$work/from_mid.out")" "is inside the change of history" "and says so"
createdb from_empty
convert_into from_empty --from-id "$next_id"
assert_eq 3 "$rc" "--from-id into a store that lacks the changes before it"
assert_contains "$(cat "$work/from_empty.out")" "holds no commit for history" "and says so"
assert_eq "0" "$(q from_empty "SELECT count(*) FROM pggit_v2.commit_graph")" "and writes no commit"

# A run stopped in the middle, seen from another session; a second run refused; SIGCONT, SIGINT.
createdb live
DDLSNAP_TESTPOINT="batch-commit:3:stop" "$DDLSNAP" convert --source "dbname=sample" \
	--target "dbname=live" --batch-size 5 --quiet >"$work/live.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
	[[ "$(ps -o stat= -p "$pid" 2>/dev/null)" == T* ]] && break
	sleep 0.1
done
assert_eq "T" "$(ps -o stat= -p "$pid" | cut -c1)" "the run stopped itself in its third batch"
view="$(q live "SELECT status, rows_processed > 0 AND rows_processed < rows_expected,
	percent_complete < 100, estimated_time_left IS NOT NULL FROM pggit_v2.v_backfill_status")"
assert_eq "running|t|t|t" "$view" "the view shows the running run with its progress"
run_ddlsnap "$work/live.status" status --source "dbname=sample" --target "dbname=live"
assert_contains "$(cat "$work/live.status")" "status               running" "status shows it running"
assert_contains "$(cat "$work/live.status")" "estimated_time_left" "with the time left"
run_ddlsnap "$work/second.out" convert --source "dbname=sample" --target "dbname=live" --quiet
assert_eq 3 "$rc" "a second conversion into the same target is refused"
assert_contains "$(cat "$work/second.out")" "another conversion (backend pid" "and says why"
kill -INT "$pid"
kill -CONT "$pid"
set +e
wait "$pid"
rc=$?
set -e
assert_eq 1 "$rc" "SIGINT: a clean exit ($(cat "$work/live.out"))"
assert_contains "$(cat "$work/live.out")" "interrupted" "SIGINT: says so"
assert_eq "interrupted" "$(q live "SELECT status FROM pggit_v2.backfill_runs")" "SIGINT: registry"
convert_into live
assert_eq 0 "$rc" "resume after SIGINT"
assert_eq "$want_head" "$(store_head live)" "SIGINT then resume: same head SHA"

finish
