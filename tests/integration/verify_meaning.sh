#!/usr/bin/env bash
# The meaning check of verify: each v1 row must agree with what its commit
# did to the tree. It passes on every history we ship (the failed change of
# failing.sql is skipped) and counts pgGit's quirks instead of reporting
# them, also on a history made of nothing but quirks; and when the v1
# history is edited after the conversion so that a row no longer says what
# its commit did, verify exits 1 naming the row, the object and the commit.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"

# convert_db DB FILE: load a history into a new database DB and convert it
# into DB itself; sets $rc to convert's exit status.
convert_db()
{
	v1_createdb "$1"
	v1_load "$1" "$2"
	run_ddlsnap "$work/$1.convert" convert --source "dbname=$1" --quiet
}

# verify_db DB: run verify on DB; the report is in $work/DB.verify, the
# meaning check's line in $meaning, the exit status in $rc. verify runs a
# second time with a tree cache of one slot (every tree read again from the
# store, none kept): the report must not change.
verify_db()
{
	local first
	DDLSNAP_VERIFY_TREE_SLOTS=1 run_ddlsnap "$work/$1.verify1" verify --source "dbname=$1"
	first=$rc
	run_ddlsnap "$work/$1.verify" verify --source "dbname=$1"
	assert_eq "$(cat "$work/$1.verify")" "$(cat "$work/$1.verify1")" \
		"$1: the same report with a tree cache of one slot"
	assert_eq "$rc" "$first" "$1: the same exit status with a tree cache of one slot"
	meaning="$(grep -E '^  (ok|FAIL) +meaning ' "$work/$1.verify" || true)"
}

# --- (a) every shipped history agrees with its conversion

convert_db sample testdata/sample/history.sql
assert_eq 0 "$rc" "sample: convert ($(cat "$work/sample.convert"))"
verify_db sample
assert_eq 0 "$rc" "sample: verify ($(cat "$work/sample.verify"))"
assert_contains "$meaning" "ok     meaning   39 v1 rows agree with their commit" "sample: summary"
assert_contains "$meaning" "1 rename recorded as ALTER of the new name" "sample: the table rename"
assert_contains "$meaning" "3 functions named by OID and not checked" "sample: the functions"
assert_contains "$meaning" "5 extra rows of one statement" \
	"sample: foreign keys as ALTER rows and CREATE OR REPLACE VIEW's second row"

# rows moved to history_archive by pgGit's cleanup are checked as well
q sample "WITH moved AS (DELETE FROM pggit.history WHERE id <= 5 RETURNING *)
	INSERT INTO pggit.history_archive SELECT * FROM moved" >/dev/null
verify_db sample
assert_eq 0 "$rc" "sample, archived rows: verify ($(cat "$work/sample.verify"))"
assert_contains "$meaning" "ok     meaning   39 v1 rows agree with their commit" \
	"sample, archived rows: the same rows checked"
# and a conversion reads them, in the same order: the same head
createdb sample_archived
run_ddlsnap "$work/sample_archived.convert" convert --source "dbname=sample" \
	--target "dbname=sample_archived" --quiet
assert_eq 0 "$rc" "sample, archived rows: convert ($(cat "$work/sample_archived.convert"))"
assert_contains "$(cat "$work/sample_archived.convert")" "42 history rows" \
	"sample, archived rows: every row counted"
assert_eq "$(q sample "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'")" \
	"$(q sample_archived "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'")" \
	"sample, archived rows: the same head as before the cleanup"
q sample "WITH moved AS (DELETE FROM pggit.history_archive RETURNING *)
	INSERT INTO pggit.history SELECT * FROM moved" >/dev/null

declare -A meanings
for name in escaping multirow multistatement rename_drop constraint_readd matview_index; do
	convert_db "$name" "testdata/cases/$name.sql"
	assert_eq 0 "$rc" "$name: convert ($(cat "$work/$name.convert"))"
	verify_db "$name"
	assert_eq 0 "$rc" "$name: verify ($(cat "$work/$name.verify"))"
	assert_contains "$meaning" "ok     meaning" "$name: the meaning check passes"
	meanings[$name]="$meaning"
done
assert_contains "${meanings[rename_drop]}" \
	"10 v1 rows agree with their commit (3 pgGit quirks: 3 renames recorded as ALTER" \
	"rename_drop: the table, view and index renames"
assert_contains "${meanings[escaping]}" \
	"2 functions named by OID and not checked, 21 names kept with their quotes" \
	"escaping: quoted names and functions"
assert_contains "${meanings[multirow]}" "1 extra row of one statement" \
	"multirow: the foreign key's ALTER row"
# a unique constraint dropped and added again under its name in one change: pgGit
# records a DROP row for its index, which the table's blob still defines; also when the
# index goes with a dropped column or table, or comes back by ADD PRIMARY KEY or ADD COLUMN
# ... PRIMARY KEY (5 such DROP rows, and the DROP TABLE of the table made again)
assert_contains "${meanings[constraint_readd]}" \
	"27 v1 rows agree with their commit (6 pgGit quirks: 6 objects both created and dropped within one change)" \
	"constraint_readd: the DROP rows of the re-created indexes"
# an index of a materialized view is found in the view's blob, created and dropped
assert_contains "${meanings[matview_index]}" "ok     meaning" "matview_index: CREATE and DROP INDEX"
assert_not_contains "${meanings[matview_index]}" "quirk" "matview_index: no quirk needed"

# a complete history files a foreign table under TABLE: its rows are checked against
# <schema>/foreign_table/ (converted into another target, so that the store's own DDL is
# not recorded in the complete history)
v1_createdb foreign_table --complete
v1_load foreign_table testdata/cases/foreign_table.sql
createdb foreign_table_store
# CREATE FOREIGN DATA WRAPPER needs a superuser, which the scratch shadow's replay role is
# not (docs/security.md): replay in a named shadow as the harness's superuser
createdb foreign_table_shadow
run_ddlsnap "$work/foreign_table.convert" convert --source "dbname=foreign_table" \
	--target "dbname=foreign_table_store" --shadow "dbname=foreign_table_shadow" --quiet
assert_eq 0 "$rc" "foreign_table: convert ($(cat "$work/foreign_table.convert"))"
run_ddlsnap "$work/foreign_table.verify" verify --source "dbname=foreign_table" \
	--target "dbname=foreign_table_store"
meaning="$(grep -E '^  (ok|FAIL) +meaning ' "$work/foreign_table.verify" || true)"
assert_eq 0 "$rc" "foreign_table: verify ($(cat "$work/foreign_table.verify"))"
assert_contains "$meaning" "ok     meaning   3 v1 rows agree with their commit" \
	"foreign_table: the foreign table's CREATE, ALTER and DROP"

# a source without history_archive (pggit is never recorded: no new row)
q multirow "DROP TABLE pggit.history_archive" >/dev/null
verify_db multirow
assert_eq 0 "$rc" "multirow without history_archive: verify ($(cat "$work/multirow.verify"))"
assert_eq "${meanings[multirow]}" "$meaning" "multirow without history_archive: the same summary"

# failing: the failed change is no commit's, so the check skips its rows
convert_db failing testdata/cases/failing.sql
assert_eq 1 "$rc" "failing: convert fails one change"
failed="$(q failing "SELECT sum(cardinality(history_ids)) FROM pggit_v2.failed_changes")"
assert_eq 3 "$failed" "failing: the diary change has three rows"
verify_db failing
assert_contains "$meaning" "ok     meaning   6 v1 rows agree with their commit" \
	"failing: the other rows agree"
assert_contains "$meaning" "; $failed rows of failed changes skipped" \
	"failing: the failed change's rows are skipped"

# --- (a) a history of quirks only, recorded by the fixture as it runs
v1_createdb quirks
psql -X -q -v ON_ERROR_STOP=1 -d quirks <<'EOF'
SET pggit_fixture."user" = 'alice';
-- quoted names: TABLE "Foo" and INDEX "Foo_pkey"
SET pggit_fixture.clock = '2024-09-01 10:00:00';
CREATE TABLE "Foo" (id integer PRIMARY KEY, v integer);
-- a rename where no path disappears: the old name is taken again at once
SET pggit_fixture.clock = '2024-09-01 10:01:00';
ALTER TABLE "Foo" RENAME TO foo_old \;
CREATE TABLE "Foo" (id integer PRIMARY KEY, w text);
-- a move to another schema: an ALTER row on archive.foo_old
SET pggit_fixture.clock = '2024-09-01 10:02:00';
CREATE SCHEMA archive \;
ALTER TABLE foo_old SET SCHEMA archive;
-- created and dropped in one change: the commit changes nothing
SET pggit_fixture.clock = '2024-09-01 10:03:00';
CREATE TABLE scratch (id integer PRIMARY KEY) \;
DROP TABLE scratch;
-- an ALTER that changes nothing ddlsnap captures (the statistics target
-- set to the default it already has)
SET pggit_fixture.clock = '2024-09-01 10:04:00';
ALTER TABLE "Foo" ALTER COLUMN w SET STATISTICS -1;
SET pggit_fixture.clock = '2024-09-01 10:05:00';
CREATE VIEW v AS SELECT id FROM "Foo";
-- the same definition again: two CREATE rows, an unchanged view
SET pggit_fixture.clock = '2024-09-01 10:06:00';
CREATE OR REPLACE VIEW v AS SELECT id FROM "Foo";
-- dropped and created again in one change
SET pggit_fixture.clock = '2024-09-01 10:07:00';
DROP VIEW v \;
CREATE VIEW v AS SELECT id, w FROM "Foo";
-- created under one name and renamed in the same change
SET pggit_fixture.clock = '2024-09-01 10:08:00';
CREATE TABLE t2 (id integer) \;
ALTER TABLE t2 RENAME TO t3;
EOF
run_ddlsnap "$work/quirks.convert" convert --source "dbname=quirks" --quiet
assert_eq 0 "$rc" "quirks: convert ($(cat "$work/quirks.convert"))"
assert_eq 18 "$(q quirks "SELECT count(*) FROM pggit.history")" "quirks: rows recorded"
verify_db quirks
assert_eq 0 "$rc" "quirks: verify ($(cat "$work/quirks.verify"))"
assert_eq "  ok     meaning   17 v1 rows agree with their commit (12 pgGit quirks: 3 renames\
 recorded as ALTER of the new name, 5 names kept with their quotes, 1 extra row of one\
 statement, 3 objects both created and dropped within one change); 1 ALTER changed nothing\
 ddlsnap captures" "$meaning" "quirks: each quirk counted"

# --- (b) the v1 history edited after the conversion

# row_id DB CHANGE TYPE NAME: the id of the first row making CHANGE to the TYPE NAME
row_id()
{
	q "$1" "SELECT h.id FROM pggit.history AS h JOIN pggit.objects AS o ON o.id = h.object_id
		WHERE h.change_type = '$2' AND o.object_type = '$3' AND o.object_name = '$4'
		ORDER BY h.id LIMIT 1"
}

# object_id DB TYPE NAME
object_id()
{
	q "$1" "SELECT id FROM pggit.objects WHERE object_type = '$2' AND object_name = '$3'"
}

# commit_of DB ID: the first 12 hex digits of the commit covering history ID
commit_of()
{
	q "$1" "SELECT left(commit_sha, 12) FROM pggit_v2.commit_graph WHERE $2 = ANY (history_ids)"
}

# expect_finding TEXT WHAT: verify on sample exits 1, the meaning check fails and says TEXT
expect_finding()
{
	verify_db sample
	assert_eq 1 "$rc" "$2: verify exit status"
	assert_contains "$meaning" "FAIL   meaning" "$2: the meaning check fails"
	assert_contains "$(cat "$work/sample.verify")" "         - $1" "$2: the finding"
}

expect_clean()
{
	verify_db sample
	assert_eq 0 "$rc" "$1: verify passes again ($(cat "$work/sample.verify"))"
}

# set_object ID OBJECT: point history row ID at another pggit.objects row
# (DML: the fixture records DDL only, so this edits history without adding to it)
set_object()
{
	q sample "UPDATE pggit.history SET object_id = $2 WHERE id = $1" >/dev/null
}

# a CREATE TABLE row naming a table that never was
id="$(row_id sample CREATE TABLE reviews)"
was="$(object_id sample TABLE reviews)"
ghost="$(q sample "INSERT INTO pggit.objects (object_type, schema_name, object_name)
	VALUES ('TABLE', 'public', 'ghost') RETURNING id" | sed -n 1p)"
set_object "$id" "$ghost"
expect_finding "history $id: CREATE TABLE public.ghost, but public/table/ghost.sql is absent\
 after commit $(commit_of sample "$id")" "CREATE of an absent table"
set_object "$id" "$was"
q sample "DELETE FROM pggit.objects WHERE id = $ghost" >/dev/null
expect_clean "CREATE row restored"

# a DROP row turned into a CREATE
id="$(row_id sample DROP VIEW product_list)"
q sample "UPDATE pggit.history SET change_type = 'CREATE' WHERE id = $id" >/dev/null
expect_finding "history $id: CREATE VIEW public.product_list, but public/view/product_list.sql\
 is absent after commit $(commit_of sample "$id")" "DROP turned into CREATE"
q sample "UPDATE pggit.history SET change_type = 'DROP' WHERE id = $id" >/dev/null
expect_clean "DROP row restored"

# an ALTER row moved to a table its commit did not change: the row records
# a new column, and the change's SQL does not name the table either
customers="$(object_id sample TABLE customers)"
products="$(object_id sample TABLE products)"
id="$(q sample "SELECT id FROM pggit.history WHERE change_type = 'ALTER'
	AND sql_executed LIKE 'ALTER TABLE customers ADD COLUMN phone%'")"
set_object "$id" "$products"
expect_finding "history $id: ALTER TABLE public.products, but commit $(commit_of sample "$id")\
 did not change public/table/products.sql, though the row records a change of its columns" \
	"ALTER of another table (columns)"
set_object "$id" "$customers"
id="$(q sample "SELECT id FROM pggit.history WHERE change_type = 'ALTER'
	AND sql_executed LIKE 'ALTER TABLE customers ADD CONSTRAINT%'")"
set_object "$id" "$products"
expect_finding "history $id: ALTER TABLE public.products, but commit $(commit_of sample "$id")\
 did not change public/table/products.sql, and the change's SQL does not name it" \
	"ALTER of another table (constraint)"
set_object "$id" "$customers"
expect_clean "ALTER rows restored"

# a CREATE INDEX row naming an index its commit did not touch
id="$(row_id sample CREATE INDEX orders_customer_id_idx)"
was="$(object_id sample INDEX orders_customer_id_idx)"
set_object "$id" "$(object_id sample INDEX products_sku_key)"
expect_finding "history $id: CREATE INDEX public.products_sku_key, but no table or materialized view changed by\
 commit $(commit_of sample "$id") defines it" "CREATE INDEX of another index"
set_object "$id" "$was"
expect_clean "CREATE INDEX row restored"

# a CREATE INDEX row turned into a DROP: the index stays, and the change's SQL makes it
# but does not drop it, so this is no drop and re-create within the change
id="$(row_id sample CREATE INDEX orders_customer_id_idx)"
q sample "UPDATE pggit.history SET change_type = 'DROP' WHERE id = $id" >/dev/null
expect_finding "history $id: DROP INDEX public.orders_customer_id_idx, but public/table/orders.sql\
 still defines it after commit $(commit_of sample "$id")" "CREATE INDEX turned into DROP"
q sample "UPDATE pggit.history SET change_type = 'CREATE' WHERE id = $id" >/dev/null
expect_clean "CREATE INDEX row restored"

# a DROP TABLE row naming a table that stays
id="$(row_id sample DROP TABLE reviews)"
set_object "$id" "$customers"
expect_finding "history $id: DROP TABLE public.customers, but public/table/customers.sql is\
 still present after commit $(commit_of sample "$id")" "DROP of a table that stays"
set_object "$id" "$(object_id sample TABLE reviews)"
expect_clean "DROP row restored"

finish
