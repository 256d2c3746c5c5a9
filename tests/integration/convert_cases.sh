#!/usr/bin/env bash
# Convert the small histories of testdata/cases/ and check what each one is
# about: several rows of one statement give one commit that names them all;
# a migration string with its own BEGIN/COMMIT and DML runs once; a change
# that cannot replay is rolled back, reported with its history id, recorded,
# and the run goes on; renames and drops move and remove blobs; names that
# are not safe as git paths are escaped, uniquely, and fsck stays clean.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"

# convert_case NAME EXPECTED_EXIT [EXPECTED_VERIFY_EXIT]: load testdata/cases/NAME.sql into database
# NAME, convert it into $work/NAME.git replaying in database NAME_shadow
# (kept), and check what holds for every case.
convert_case()
{
	local name="$1" want_rc="$2" want_verify="${3:-0}"
	v1_createdb "$name"
	v1_load "$name" "testdata/cases/$name.sql"
	createdb "${name}_shadow"
	run_ddlsnap "$work/$name.out" convert --source "dbname=$name" --git-dir "$work/$name.git" \
		--shadow "dbname=${name}_shadow"
	out="$(cat "$work/$name.out")"
	assert_eq "$want_rc" "$rc" "$name: convert exit status ($out)"
	local fsck
	fsck="$(gitc "$work/$name.git" fsck --strict --no-dangling 2>&1)" || fail "$name: fsck: $fsck"
	assert_eq "" "$fsck" "$name: git fsck --strict"
	run_ddlsnap "$work/$name.verify" verify --source "dbname=$name" --git-dir "$work/$name.git"
	assert_eq "$want_verify" "$rc" "$name: verify ($(cat "$work/$name.verify"))"
	repo="$work/$name.git"
}

# same_schema NAME: PostgreSQL judges the replay: pg_dump of the shadow equals
# pg_dump of the database where the history ran.
same_schema()
{
	dump_schema "$1" >"$work/$1.source.dump"
	dump_schema "$1_shadow" >"$work/$1.shadow.dump"
	assert_eq "" "$(diff "$work/$1.source.dump" "$work/$1.shadow.dump")" \
		"$1: pg_dump of the shadow equals pg_dump of the source"
}

# ids DB SQL-LIKE-PATTERN: the history ids whose sql_executed matches
ids()
{
	q "$1" "SELECT id FROM pggit.history WHERE sql_executed LIKE '$2' ORDER BY id"
}

trailers()
{
	gitc "$repo" log -1 --format='%(trailers:key=History-Id,valueonly)' "$1" | sed '/^$/d'
}

tree_files()
{
	gitc "$repo" ls-tree -r -z --name-only main | tr '\0' '\n'
}

# --- multirow: one CREATE TABLE logged as four rows is one commit
convert_case multirow 0
same_schema multirow
assert_eq 3 "$(gitc "$repo" rev-list --count main)" "multirow: commits"
books_ids="$(ids multirow 'CREATE TABLE books%')"
assert_eq 4 "$(printf '%s\n' "$books_ids" | wc -l)" "multirow: the fixture logs four rows"
assert_eq "$books_ids" "$(trailers main~1)" "multirow: the commit names all four rows"
books="$(gitc "$repo" show main:public/table/books.sql)"
assert_contains "$books" "CONSTRAINT books_isbn_key UNIQUE (isbn)" "multirow: unique"
assert_contains "$books" "FOREIGN KEY (author_id) REFERENCES public.authors(id)" "multirow: fk"
assert_eq "ALTER public/table/books.sql" \
	"$(q multirow "SELECT change_type || ' ' || object_path FROM pggit_audit.changes
	   WHERE commit_sha = '$(gitc "$repo" rev-parse main)'")" \
	"multirow: the last commit changes exactly books"

# --- multistatement: a migration file as one string runs once
convert_case multistatement 0
same_schema multistatement
assert_eq 3 "$(gitc "$repo" rev-list --count main)" "multistatement: commits"
assert_contains "$out" "2 transaction-control and 1 DML statements not executed" \
	"multistatement: BEGIN/COMMIT dropped and INSERT skipped"
assert_eq "$(ids multistatement 'BEGIN%')" "$(trailers main~1)" \
	"multistatement: every row of the string in one commit"
assert_eq "$(printf 'M\tpublic/table/accounts.sql\nA\tpublic/table/ledger.sql')" \
	"$(gitc "$repo" diff-tree --no-commit-id -r --name-status main~1)" \
	"multistatement: the string's commit adds ledger and alters accounts"
assert_contains "$(gitc "$repo" show main:public/table/ledger.sql)" \
	"CREATE INDEX ledger_account_id_idx ON public.ledger USING btree (account_id, booked_at);" \
	"multistatement: index in the table's blob"

# --- failing: a change that needs an unrecorded type fails alone
# verify finds the one real difference: diary exists live, not in the history
convert_case failing 1 1
assert_contains "$(cat "$work/failing.verify")" \
	"public/table/diary.sql exists in the live schema but not in the history" \
	"failing: verify names the drift the failed change left"
assert_eq 1 "$(grep -c '^  FAIL' "$work/failing.verify")" "failing: drift is the only failing check"
diary_ids="$(ids failing 'CREATE TABLE diary%' | paste -sd, -)"
assert_ne "" "$diary_ids" "failing: the fixture logs the diary change"
first_diary="${diary_ids%%,*}"
assert_contains "$out" "error: history $first_diary" "failing: the error names the history id"
assert_contains "$out" 'type "mood" does not exist' "failing: PostgreSQL's message"
assert_contains "$out" "1 failed" "failing: summary"
assert_eq "{$diary_ids}|1|42704" \
	"$(q failing "SELECT history_ids::text || '|' || statement_number || '|' || sqlstate
	   FROM pggit_v2.failed_changes")" "failing: the failure is recorded"
assert_eq 4 "$(gitc "$repo" rev-list --count main)" "failing: the other changes commit"
files="$(tree_files)"
assert_not_contains "$files" "diary" "failing: nothing of the failed change"
assert_contains "$files" "public/table/notes.sql" "failing: a later change replayed"
assert_contains "$files" "public/view/people_names.sql" "failing: the last change replayed"
assert_contains "$(gitc "$repo" show main:public/table/people.sql)" "people_name_idx" \
	"failing: the index created after the failure"

# with the complete history (the type is recorded too) nothing fails, and
# the enum type is an object of the snapshot like the table that uses it
v1_createdb failing_complete --complete
v1_load failing_complete testdata/cases/failing.sql
run_ddlsnap "$work/failing_complete.out" convert --source "dbname=failing_complete" \
	--git-dir "$work/failing_complete.git" --quiet
assert_eq 0 "$rc" "failing, complete history: exit status ($(cat "$work/failing_complete.out"))"
assert_not_contains "$(cat "$work/failing_complete.out")" "is not captured yet" \
	"failing, complete history: nothing is left uncaptured"
mood="$(q failing_complete "SELECT convert_from(o.content, 'UTF8') FROM pggit_v2.objects AS o
	JOIN pggit_v2.tree_entries AS e ON e.object_sha = o.sha WHERE e.path = 'mood.sql'")"
assert_contains "$mood" "CREATE TYPE public.mood AS ENUM (" "failing, complete history: the enum type is in the snapshot"
assert_contains "$mood" "'bored'" "with its labels"

# --stop-on-error stops at the failure, keeping what came before
createdb failing_stop
run_ddlsnap "$work/failing_stop.out" convert --source "dbname=failing" \
	--target "dbname=failing_stop" --stop-on-error --quiet
assert_eq 1 "$rc" "failing --stop-on-error: exit status"
assert_eq 1 "$(q failing_stop "SELECT count(*) FROM pggit_v2.commit_graph")" \
	"failing --stop-on-error: only the change before the failure"

# --- rename_drop
convert_case rename_drop 0
same_schema rename_drop
assert_eq 9 "$(gitc "$repo" rev-list --count main)" "rename_drop: commits"
assert_eq "$(printf '%s\n' public/schema/public.sql public/table/products.sql \
	public/view/low_stock.sql public/view/product_labels.sql)" "$(tree_files)" \
	"rename_drop: the last snapshot"
products="$(gitc "$repo" show main:public/table/products.sql)"
assert_contains "$products" "quantity integer DEFAULT 0" "rename_drop: renamed column"
assert_contains "$products" "CONSTRAINT products_pkey PRIMARY KEY (id)" "rename_drop: renamed key"
rename_commit="$(gitc "$repo" rev-parse main~5)"
assert_eq "$(printf '%s\n' "CREATE public/table/products.sql" "DROP public/table/items.sql")" \
	"$(q rename_drop "SELECT change_type || ' ' || object_path FROM pggit_audit.changes
	   WHERE commit_sha = '$rename_commit' AND object_type = 'table' ORDER BY 1")" \
	"rename_drop: a table rename is a drop and a create"
assert_eq "DROP public/view/stock.sql" \
	"$(q rename_drop "SELECT change_type || ' ' || object_path FROM pggit_audit.changes
	   WHERE commit_sha = '$(gitc "$repo" rev-parse main~2)'")" "rename_drop: view drop"

# --- escaping: every awkward name gets its own valid path
convert_case escaping 0
same_schema escaping
assert_eq 14 "$(gitc "$repo" rev-list --count main)" "escaping: commits"
files="$(tree_files)"
for want in 'a%2Fb/table/x%2Fy.sql' 'a%2Fb/table/x%252Fy.sql' '100%25/table/50%25off.sql' \
	'%2Ehidden/table/%2Egit.sql' '%2Egit/table/config.sql' 'a%2Fb/view/v%2F1.sql' \
	'public/table/back%5Cslash.sql' 'public/table/tab%09name.sql' \
	'public/table/MixedCase.sql' 'public/table/mixedcase.sql' '%2E./table/%2E...sql' \
	'my schema/table/it'"'"'s "quoted".sql' 'my schema/table/ order items .sql' \
	'public/table/Übersichts_顧客注文明細履歴管理台帳集計結果一.sql'; do
	grep -qxF -- "$want" <<<"$files" || fail "escaping: no path $want in: $files"
done
assert_eq 15 "$(printf '%s\n' "$files" | grep -c '/table/')" "escaping: one blob per table"
assert_eq "" "$(printf '%s\n' "$files" | sort | uniq -d)" "escaping: paths are unique"
long="$(printf '%s\n' "$files" | grep '^a%2Fb/function/f%2Flong(p01' || true)"
assert_ne "" "$long" "escaping: the long signature has a path"
long_name="${long##*/}"
assert_eq 1 "$(( ${#long_name} <= 200 + 4 ))" "escaping: long name shortened (${#long_name})"
grep -qE '~[0-9a-f]{12}\.sql$' <<<"$long" || fail "escaping: hash suffix: $long"
assert_contains "$(gitc "$repo" show "main:$long")" "p40 character varying" \
	"escaping: the shortened path holds the whole function"
assert_contains "$files" 'a%2Fb/function/f%2Flong(integer).sql' "escaping: the short overload"

finish
