#!/usr/bin/env bash
# ddlsnap plan, the dry run: on a lossy history it reports the rows missing
# a field, the objects altered but never created, the objects created more
# than once and the changes that fail in the trial replay, with their
# history ids; it estimates the time with its formula; it writes nothing
# (no store in the source, no database left behind). On the sample it
# finds what the sample lost and its estimate is measured.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"
v1_createdb lossy
v1_load lossy testdata/cases/lossy.sql
databases_before="$(q postgres "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database")"

run_ddlsnap "$work/plan.out" plan --source "dbname=lossy" --batch-size 2
out="$(cat "$work/plan.out")"
assert_eq 1 "$rc" "plan exits 1 when the history needs a look ($out)"
id_of() { q lossy "SELECT min(id) FROM pggit.history WHERE sql_executed LIKE '$1'"; }
assert_contains "$out" "7 history rows in 6 changes, 2024-07-01 09:00:00 .. 2024-07-07 09:00:00" "scope"
assert_contains "$out" "never_created  altered or dropped, never created (needs --baseline or fails): TABLE public.legacy_accounts, first at history $(id_of 'ALTER TABLE legacy_accounts%')" \
	"the table that predates the history"
assert_contains "$out" "missing_field  rows without created_by, first at history $(id_of 'DROP VIEW%')" \
	"the hand-edited row"
assert_contains "$out" "created_again  created more than once: VIEW public.open_invoices" "the view created twice"
assert_contains "$out" "replay_failed  3 of the first 6 changes failed in the trial replay" \
	"the trial replay's failures (the table, the unrecorded type, the view using its column)"
assert_contains "$out" 'relation "legacy_accounts" does not exist' "with PostgreSQL's message"
assert_contains "$out" 'type "invoice_state" does not exist' "for both"
assert_contains "$out" "estimate: " "an estimate"
assert_contains "$out" "changes x " "with its formula"

# JSON: the same, for a machine.
# (stdout only: the trial replay's errors go to stderr)
set +e
"$DDLSNAP" plan --source "dbname=lossy" --batch-size 2 --json >"$work/plan.json" 2>/dev/null
rc=$?
set -e
assert_eq 1 "$rc" "plan --json"
assert_eq "6 3 3 setup_seconds + changes * seconds_per_change" "$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(d["changes"], len(d["findings"]), d["estimate"]["failed_changes"], d["estimate"]["formula"])' \
	"$work/plan.json" 2>/dev/null)" "plan --json parses and holds the findings"

# Nothing written: no store in the source, no scratch database left.
assert_eq "" "$(q lossy "SELECT nspname FROM pg_namespace WHERE nspname IN ('pggit_v2', 'pggit_audit')")" \
	"plan installs no store"
assert_eq "$databases_before" "$(q postgres "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database")" \
	"plan leaves no database behind"

# --baseline: what the history never recorded (the table that predates pgGit, the enum
# created with recording off) comes from a schema-only dump of the database as it was
# before; with it the lossy history converts with no failed change, the baseline as the
# root commit.
createdb before
q before "CREATE TABLE legacy_accounts (id integer PRIMARY KEY, owner text);
	CREATE TYPE invoice_state AS ENUM ('draft', 'sent', 'paid')"
pg_dump --schema-only --no-owner -d before >"$work/baseline.sql"
createdb lossy_target
run_ddlsnap "$work/baseline.out" convert --source "dbname=lossy" --target "dbname=lossy_target" \
	--git-dir "$work/lossy.git" --baseline "$work/baseline.sql"
out="$(cat "$work/baseline.out")"
assert_eq 0 "$rc" "convert --baseline: exit status ($out)"
assert_contains "$out" "6 replayed, 0 failed" "convert --baseline: no failed change"
assert_eq "Baseline: the schema before the history" \
	"$(gitc "$work/lossy.git" log --format=%s --reverse main | sed -n 1p)" "the baseline is the root commit"
assert_eq 7 "$(gitc "$work/lossy.git" rev-list --count main)" "the baseline and six changes"
assert_contains "$(gitc "$work/lossy.git" show main:public/table/legacy_accounts.sql)" "closed_on" \
	"the table from the baseline took the history's ALTER"
fsck="$(gitc "$work/lossy.git" fsck --strict --no-dangling 2>&1)" || fail "fsck: $fsck"
assert_eq "" "$fsck" "convert --baseline: git fsck --strict"
run_ddlsnap "$work/baseline_verify.out" verify --source "dbname=lossy" --target "dbname=lossy_target" \
	--git-dir "$work/lossy.git"
assert_eq 0 "$rc" "verify accepts a baseline root commit ($(cat "$work/baseline_verify.out"))"
run_ddlsnap "$work/baseline_missing.out" convert --source "dbname=lossy" --target "dbname=lossy_target" \
	--baseline "$work/no_such_file.sql"
assert_eq 3 "$rc" "an unreadable baseline is a fatal error"
assert_contains "$(cat "$work/baseline_missing.out")" "no_such_file.sql" "the error names the file"

# The sample: its estimate comes from a real replay of the first changes.
v1_createdb sample
v1_load sample testdata/sample/history.sql
run_ddlsnap "$work/sample.out" plan --source "dbname=sample" --batch-size 3
assert_contains "$(cat "$work/sample.out")" "replayed and captured the first 9 changes" \
	"three batches of three changes are measured"

run_ddlsnap "$work/usage.out" plan --source "dbname=lossy" --batch-size 0
assert_eq 2 "$rc" "a bad --batch-size is a usage error"
# A complete history that renames a table and makes an index by ADD CONSTRAINT: pgGit files
# the rename as an ALTER row of the new name and records no row for the index before its own
# ALTER; then renames the index in a DO block's EXECUTE. All were created by the history: no
# never_created finding.
v1_createdb renames --complete
v1_load renames testdata/cases/rename_plan.sql
q renames "SELECT o.object_type || ' ' || o.object_name || ' ' || h.change_type
	FROM pggit.history AS h JOIN pggit.objects AS o ON o.id = h.object_id ORDER BY h.id" \
	>"$work/renames.rows"
assert_contains "$(cat "$work/renames.rows")" "TABLE registry ALTER" "the rename is an ALTER row of registry"
assert_contains "$(cat "$work/renames.rows")" "INDEX registry_url_key ALTER" "the index's first row is its ALTER"
assert_not_contains "$(cat "$work/renames.rows")" "INDEX registry_url_key CREATE" "with no CREATE row"
run_ddlsnap "$work/renames.plan" plan --source "dbname=renames"
assert_contains "$(cat "$work/renames.rows")" "INDEX registry_url_uniq ALTER" \
	"the rename a DO block executes is an ALTER row of the new name"
assert_not_contains "$(cat "$work/renames.plan")" "never_created" \
	"plan follows the renames and the index ADD CONSTRAINT made ($(cat "$work/renames.plan"))"
assert_contains "$(cat "$work/renames.plan")" "8 changes" "all eight changes are planned"

finish
