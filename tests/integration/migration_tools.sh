#!/usr/bin/env bash
# Migration files sent the way migration tools send them (testdata/cases/migration_tools.sql:
# one string per file, its own BEGIN/COMMIT and SAVEPOINTs, CONCURRENTLY, DO blocks, an enum
# value added then used, SET search_path and set_config, DML, a procedure that COMMITs) convert
# with no failed change, and PostgreSQL judges the replay: pg_dump of the shadow equals pg_dump
# of the database where the files really ran. Then: --replay-dml runs the DML the default
# skips; a change replayed in steps that fails says what stays; two-phase commit fails a change
# before anything of it runs.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"

v1_createdb mt --complete
v1_load mt testdata/cases/migration_tools.sql >/dev/null
createdb mt_shadow
createdb mt_target
run_ddlsnap "$work/mt.out" convert --source dbname=mt --target dbname=mt_target \
	--shadow dbname=mt_shadow --git-dir "$work/mt.git" --quiet
out="$(cat "$work/mt.out")"
assert_eq 0 "$rc" "convert exit status ($out)"
assert_contains "$out" "11 changes: 11 replayed, 0 failed" "every file replays"
assert_contains "$out" "15 transaction-control and 4 DML statements not executed" \
	"BEGIN/COMMIT/SAVEPOINT emulated, INSERT/UPDATE skipped"
assert_contains "$out" \
	"2 queries and 1 maintenance statements not executed, 2 run without CONCURRENTLY, 3 changes replayed in steps" \
	"SELECT count(*) and setval skipped, ANALYZE skipped, CONCURRENTLY cut, enum/CALL/DO in steps"

dump_schema mt >"$work/mt.source.dump"
dump_schema mt_shadow >"$work/mt.shadow.dump"
assert_eq "" "$(diff "$work/mt.source.dump" "$work/mt.shadow.dump")" \
	"pg_dump of the shadow equals pg_dump of the source"

files="$(gitc "$work/mt.git" ls-tree -r --name-only main)"
# SET search_path = app acted on the rest of its file, and not on the next file
assert_contains "$files" "app/table/customers.sql" "SET search_path: unqualified table in app"
assert_contains "$files" "public/table/notes.sql" "the next change's unqualified table is in public"
assert_not_contains "$files" "app/table/notes.sql" "search_path did not leak"
# a SELECT of a user function runs (it does DDL); set_config acts like SET
assert_contains "$files" "app/table/gift_cards.sql" "SELECT app.ensure_table() ran"
assert_contains "$files" "app/table/order_archive.sql" "set_config('search_path', 'app') took effect"
# what the file rolled back to its savepoint is not there
assert_not_contains "$files" "app/table/experiment.sql" "ROLLBACK TO SAVEPOINT undid the table"
coupons="$(gitc "$work/mt.git" show main:app/table/coupons.sql)"
assert_not_contains "$coupons" "experimental" "ROLLBACK TO SAVEPOINT undid the column"
assert_contains "$coupons" "percent integer" "the file's statements after ROLLBACK TO ran"
for p in 2024_06 2024_07 2024_08; do
	assert_contains "$files" "app/table/events_$p.sql" "the procedure's COMMITted partition $p"
done
assert_contains "$files" "app/table/refunds.sql" "the DO block that COMMITs ran"
assert_contains "$(gitc "$work/mt.git" show main:app/type/order_status.sql)" "'shipped'" \
	"the enum value added then used"
assert_eq 0 "$(q mt_shadow "SELECT count(*) FROM app.orders")" "DML skipped by default"

# --replay-dml runs the INSERTs and UPDATEs of the files
createdb mt_dml_shadow
run_ddlsnap "$work/mt_dml.out" convert --source dbname=mt --shadow dbname=mt_dml_shadow \
	--target dbname=mt_target --from-id 1 --replay-dml --quiet
# the target already holds every change: they are replayed only, with DML
assert_eq 0 "$rc" "--replay-dml: exit status ($(cat "$work/mt_dml.out"))"
assert_eq "new:100|shipped:250" \
	"$(q mt_dml_shadow "SELECT string_agg(status || ':' || total_cents, '|' ORDER BY id) FROM app.orders")" \
	"--replay-dml: rows inserted and updated, after the enum value"
assert_eq "Ada" "$(q mt_dml_shadow "SELECT name FROM app.customers")" "--replay-dml: UPDATE ran"

# A change replayed in steps that still fails: its history id, the statement, what stays.
v1_createdb steps --complete
q steps "SET pggit_fixture.clock = '2024-07-01'; CREATE TYPE s AS ENUM ('a')" >/dev/null
q steps "SET pggit_fixture.clock = '2024-07-02'; CREATE TABLE placeholder ()" >/dev/null
q steps "SET pggit_fixture.clock = '2024-07-03'; CREATE TABLE placeholder2 ()" >/dev/null
step_id="$(q steps "SELECT id FROM pggit.history WHERE sql_executed LIKE '%placeholder ()%'")"
twopc_id="$(q steps "SELECT id FROM pggit.history WHERE sql_executed LIKE '%placeholder2%'")"
q steps "UPDATE pggit.history SET sql_executed = E'ALTER TYPE s ADD VALUE ''b'';\n
CREATE TABLE uses_b (x s DEFAULT ''b'');\nCREATE TABLE broken (y no_such_type);'
	WHERE id = $step_id" >/dev/null
q steps "UPDATE pggit.history SET sql_executed = E'BEGIN;\nCREATE TABLE never ();\n
PREPARE TRANSACTION ''t1'';' WHERE id = $twopc_id" >/dev/null
createdb steps_shadow
run_ddlsnap "$work/steps.out" convert --source dbname=steps \
	--shadow dbname=steps_shadow --quiet
out="$(cat "$work/steps.out")"
assert_eq 1 "$rc" "steps: a failed change: exit status"
assert_contains "$out" "error: history $step_id: statement 3 of 3 (line 4) failed: type \"no_such_type\" does not exist" \
	"steps: history id, statement k of n, line, PostgreSQL's message"
assert_contains "$out" "statement 1 was committed before the failure and stays in the shadow" \
	"steps: the error says what stays"
assert_contains "$out" "(SQLSTATE 42704)" "steps: SQLSTATE"
assert_eq "a,b" "$(q steps_shadow "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum")" \
	"steps: the committed ADD VALUE stays"
assert_eq "0" "$(q steps_shadow "SELECT count(*) FROM pg_class WHERE relname IN ('uses_b', 'broken')")" \
	"steps: the statements after the commit were rolled back"
assert_contains "$out" "error: history $twopc_id: statement 3 of 3 (line 4) failed: two-phase commit" \
	"two-phase commit: the change fails"
assert_eq "0" "$(q steps_shadow "SELECT count(*) FROM pg_class WHERE relname = 'never'")" \
	"two-phase commit: nothing of the change ran"
assert_eq "0" "$(q steps "SELECT count(*) FROM pg_prepared_xacts")" "two-phase commit: nothing prepared"

finish
