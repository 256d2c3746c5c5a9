#!/usr/bin/env bash
# Convert testdata/cases/hostile.sql, a history that tries to reach beyond the shadow database,
# and prove that it did not: the file COPY ... TO PROGRAM would create does not exist, the
# roles, database and tablespace were not created, ALTER SYSTEM left postgresql.auto.conf
# alone; every refused statement and every failed change is named with its history id; the
# other changes are converted, fsck --strict is clean and verify passes. Also: the scratch
# shadow's replay role is gone at the end, a named shadow whose user is a superuser is warned
# about, and --allow-extension / a server refusing the role's login behave as documented.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"
chmod 777 "$work" # the server (user postgres when run as root) must be able to write here
pwned="$work/pwned"
auto_conf="$PG_HARNESS_DIR/data/postgresql.auto.conf"
auto_before="$(cat "$auto_conf")"

# SQL_ASCII: the only encoding in which a text column can hold bytes that are not UTF-8.
createdb -E SQL_ASCII -T template0 --locale=C hostile
psql -X -q -v ON_ERROR_STOP=1 -d hostile -f "$PG_HARNESS_REPO/testdata/v1/pggit_v1.sql"
psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -v pwned="$pwned" -d hostile \
	-f "$PG_HARNESS_REPO/testdata/cases/hostile.sql" 2>"$work/load.err" ||
	fail "loading hostile.sql: $(cat "$work/load.err")"
assert_eq 1 "$(q hostile "SELECT count(*) FROM pggit.history
	WHERE position('\\377'::bytea IN convert_to(sql_executed, 'SQL_ASCII')) > 0")" \
	"the fixture holds a statement that is not UTF-8"
big="$(q hostile "SELECT max(octet_length(sql_executed)) FROM pggit.history")"
assert_eq 1 "$(( big > 10 * 1024 * 1024 ))" "the fixture holds a 10 MB statement ($big bytes)"

id_of()
{
	q hostile "SELECT string_agg(id::text, '-' ORDER BY id) FROM pggit.history WHERE sql_executed LIKE '$1'"
}

# plan names, before anything runs, the groups whose statements will be refused.
run_ddlsnap "$work/plan.out" plan --source "dbname=hostile" --batch-size 5
assert_contains "$(cat "$work/plan.out")" \
	"refused        reaches beyond the shadow: history text: statement 1 of 1 (line 1) will be refused: role statement" \
	"plan reports the refused CREATE ROLE ($(head -c 2000 "$work/plan.out"))"
assert_contains "$(cat "$work/plan.out")" "will be refused: role statement (roles are shared by every database of the server), first at history $(id_of 'CREATE ROLE%') " \
	"plan names the refused row's history id"

run_ddlsnap "$work/convert.out" convert --source "dbname=hostile" --git-dir "$work/hostile.git"
out="$(cat "$work/convert.out")"
assert_eq 1 "$rc" "convert finishes and asks for a look (failed changes) ($out)"
assert_not_contains "$out" "AddressSanitizer" "no crash"

# --- nothing refused was executed
assert_eq "no" "$( [[ -e "$pwned" ]] && echo yes || echo no)" "COPY ... TO PROGRAM / lo_export wrote no file"
for role in ddlsnap_hostile_role ddlsnap_hostile_role2 ddlsnap_hostile_role3; do
	assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname = '$role'")" \
		"role $role was not created"
done
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_database WHERE datname = 'ddlsnap_hostile_db'")" \
	"the database was not created"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_tablespace WHERE spcname = 'ddlsnap_hostile_ts'")" \
	"the tablespace was not created"
assert_eq "$auto_before" "$(cat "$auto_conf")" "ALTER SYSTEM left postgresql.auto.conf alone"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_event_trigger WHERE evtname = 'ddlsnap_hostile_et'")" \
	"no event trigger (the shadow is gone, and it was refused there)"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ddlsnap_replay_%'")" \
	"the replay role is dropped at the end"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'ddlsnap_shadow_%'")" \
	"the scratch shadow is dropped at the end"

# --- every refusal is named with its history id and the reason
refusal()
{
	local pattern="$1" reason="$2" id
	id="$(id_of "$pattern")"
	assert_ne "" "$id" "the fixture has a row like $pattern"
	assert_contains "$out" "warning: history $id: statement 1 of 1 (line 1) refused, not executed: $reason" \
		"refused: $pattern"
}
refusal 'CREATE ROLE ddlsnap_hostile_role %' "role statement"
refusal 'GRANT pg_read_server_files%' "role statement"
refusal 'ALTER ROLE CURRENT_USER%' "role statement"
refusal 'CREATE DATABASE%' "database statement"
refusal 'CREATE TABLESPACE%' "tablespace statement"
refusal 'ALTER SYSTEM%' "ALTER SYSTEM"
refusal 'COPY (SELECT 1) TO PROGRAM%' "COPY TO/FROM PROGRAM"
refusal 'COPY accounts FROM%' "COPY TO/FROM a server file"
refusal 'COPY accounts TO%' "COPY TO/FROM a server file"
refusal 'LOAD%' "LOAD"
refusal 'SELECT lo_export%' "function lo_"
refusal 'CREATE TABLE leak %' "function pg_read_file"
refusal 'CREATE VIEW leak_dir%' "function pg_ls_dir"
refusal 'CREATE EXTENSION dblink' "extension dblink is not on the allow-list"
refusal 'SELECT dblink_connect%' "function dblink_connect connects to another database"
refusal 'CREATE USER MAPPING%' "user mapping with a password"
refusal 'CREATE EXTENSION file_fdw' "extension file_fdw is not on the allow-list"
refusal 'CREATE EVENT TRIGGER%' "event trigger ddlsnap_hostile_et is not on the allow-list"
# PostgreSQL's grammar reads CREATE LANGUAGE without a handler as CREATE EXTENSION
refusal 'CREATE LANGUAGE%' "extension plperlu is not on the allow-list"
refusal 'SELECT pg_terminate_backend%' "function pg_terminate_backend"
refusal 'SELECT set_config(%' "set_config of session_replication_role"

ledger="$(id_of 'CREATE TABLE ledger%')"
assert_contains "$out" "warning: history $ledger: statement 2 of 5 (line 2) refused, not executed: SET ROLE" \
	"mixed change: SET ROLE refused"
assert_contains "$out" "warning: history $ledger: statement 4 of 5 (line 4) refused, not executed: role statement" \
	"mixed change: CREATE ROLE refused"
assert_contains "$(gitc "$work/hostile.git" show main:public/table/ledger.sql)" "amount numeric" \
	"mixed change: the other statements ran"
assert_contains "$out" "convert: 23 statements refused, 1 owner changes not executed" "summary counts"

# --- what the text does not show, the replay role stops
failed()
{
	local pattern="$1" message="$2" id
	id="$(id_of "$pattern")"
	assert_contains "$out" "error: history $id: " "failed: $pattern"
	assert_contains "$(grep -A1 "error: history $id: " <<<"$out")" "$message" "failed: $pattern: $message"
}
failed 'DO %COPY%PROGRAM%' "pg_execute_server_program"
failed 'DO %CREATE ROLE%' "must be superuser to create superusers"
failed 'CREATE FUNCTION peek()%' "permission denied for function pg_read_file"
failed 'CREATE TABLE (' "cannot parse: syntax error"
# the bytes do not survive libpg_query's JSON: the change fails before anything runs
failed 'CREATE TABLE bad_bytes_%' "unable to decode byte 0xff"
nullrow="$(q hostile "SELECT id FROM pggit.history WHERE sql_executed IS NULL")"
assert_contains "$out" "error: history $nullrow: the history row has no sql_executed" "NULL sql_executed"
assert_eq 6 "$(q hostile "SELECT count(*) FROM pggit_v2.failed_changes")" \
	"failed changes recorded: 3 stopped by the role, syntax, NULL, bytes, and none else"

# --- nothing else is lost
files="$(gitc "$work/hostile.git" -c core.quotePath=false ls-tree -r --name-only main)"
for want in public/table/accounts.sql public/table/ledger.sql public/table/no_author.sql \
	public/table/big.sql public/table/no_time.sql 'public/table/%2E..sql' \
	'public/table/%2Egit.sql' 'public/table/a%2Fb.sql' \
	'public/table/顧客注文明細履歴管理台帳集計結果一覧表示画.sql' \
	'public/table/表示画面用顧客注文明細履歴管理台帳集計結果.sql'; do
	grep -qxF -- "$want" <<<"$files" || fail "no path $want in: $files"
done
assert_not_contains "$files" "leak" "nothing of the refused CREATE TABLE / VIEW"
fsck="$(gitc "$work/hostile.git" fsck --strict --no-dangling 2>&1)" || fail "fsck: $fsck"
assert_eq "" "$fsck" "git fsck --strict"
# verify: everything holds but the meaning of the two refused CREATEs that pgGit would have
# recorded (leak, leak_dir): history says they were created, the conversion has them not.
run_ddlsnap "$work/verify.out" verify --source "dbname=hostile" --git-dir "$work/hostile.git"
verify_out="$(cat "$work/verify.out")"
assert_eq 1 "$rc" "verify: findings ($verify_out)"
assert_eq "  FAIL   meaning" "$(grep -E '^  FAIL' <<<"$verify_out" | cut -c1-16)" \
	"verify: the meaning check is the only failing one"
assert_eq 2 "$(grep -c '^         - history' <<<"$verify_out")" "verify: two meaning findings"
assert_contains "$verify_out" "history $(id_of 'CREATE TABLE leak %'): CREATE TABLE public.leak," \
	"verify: the refused CREATE TABLE"
assert_contains "$verify_out" "history $(id_of 'CREATE VIEW leak_dir%'): CREATE TABLE public.leak_dir," \
	"verify: the refused CREATE VIEW"

# --- a named shadow: its user runs history; a superuser is warned about
createdb hostile_shadow
createdb hostile_named
run_ddlsnap "$work/named.out" convert --source "dbname=hostile" --target "dbname=hostile_named" \
	--shadow "dbname=hostile_shadow" --quiet
assert_contains "$(cat "$work/named.out")" "warning: the named shadow's user postgres is a superuser" \
	"named shadow: superuser warning"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_roles
	WHERE rolname IN ('ddlsnap_hostile_role', 'ddlsnap_hostile_role2')")" \
	"named shadow as superuser: the refusal list still holds"
# ...but what only EXECUTE shows runs with the superuser's rights: the warning is deserved
assert_eq "yes" "$( [[ -e "$pwned" ]] && echo yes || echo no)" \
	"named shadow as superuser: the DO block's COPY ... TO PROGRAM ran"
assert_eq 1 "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname = 'ddlsnap_hostile_role3'")" \
	"named shadow as superuser: the DO block's CREATE ROLE ran"

# --- --replay-user: an existing role runs history; it is not dropped
q postgres "CREATE ROLE hostile_runner LOGIN"
createdb hostile_ru
run_ddlsnap "$work/ru.out" convert --source "dbname=hostile" --target "dbname=hostile_ru" \
	--replay-user hostile_runner --quiet
assert_eq 1 "$rc" "--replay-user: converts as the default role does ($(cat "$work/ru.out"))"
assert_eq "$(gitc "$work/hostile.git" rev-parse main)" \
	"$(q hostile_ru "SELECT target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/main'")" \
	"--replay-user: same head as with the scratch role"
assert_eq 1 "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname = 'hostile_runner'")" \
	"--replay-user: the role is kept"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ddlsnap_replay_%'")" \
	"--replay-user: no role created"

# --- an allow-listed extension that is not trusted runs on the caller's connection; when its
# change fails it is dropped again
v1_createdb ext
psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d ext <<'SQL'
INSERT INTO pggit.objects (object_type, schema_name, object_name) VALUES ('TABLE', NULL, 'x');
INSERT INTO pggit.history (object_id, change_type, sql_executed, created_at, created_by)
SELECT id, 'CREATE', s, t::timestamp, 'alice' FROM pggit.objects,
	(VALUES ('CREATE EXTENSION pg_stat_statements; CREATE TABLE broken (x no_such_type)',
	         '2024-09-01'),
	        ('CREATE EXTENSION pg_stat_statements; CREATE TABLE fine (id integer)', '2024-09-02'))
	AS v (s, t);
SQL
createdb ext_store
run_ddlsnap "$work/ext.out" convert --source "dbname=ext" --target "dbname=ext_store" \
	--git-dir "$work/ext.git" --quiet
ext_out="$(cat "$work/ext.out")"
assert_eq 1 "$rc" "untrusted extension: one change fails ($ext_out)"
assert_contains "$ext_out" 'error: history 1: statement 2 of 2 (line 1) failed: type "no_such_type"' \
	"untrusted extension: the first change fails on its own statement"
assert_contains "$ext_out" "1 replayed, 1 failed" "untrusted extension: the second change, with the extension again, replays"
assert_contains "$(gitc "$work/ext.git" show main:%global/extension/pg_stat_statements.sql)" \
	"CREATE EXTENSION IF NOT EXISTS pg_stat_statements" "untrusted extension: captured"

# --- a server that refuses the role's login: a clear message naming --replay-user
cp "$PG_HARNESS_DIR/data/pg_hba.conf" "$work/pg_hba.conf.orig"
# PostgreSQL 15 has no regular expressions for users in pg_hba.conf: reject every role that
# is not postgres (the caller) and cannot be named in advance.
{ printf 'local all postgres trust\nlocal all all reject\n'; } >"$PG_HARNESS_DIR/data/pg_hba.conf"
q postgres "SELECT pg_reload_conf()" >/dev/null
createdb hostile_hba
run_ddlsnap "$work/hba.out" convert --source "dbname=hostile" --target "dbname=hostile_hba" --quiet
assert_eq 3 "$rc" "pg_hba refuses the role: fatal"
assert_contains "$(cat "$work/hba.out")" "the server refused a login as the replay role ddlsnap_replay_" \
	"pg_hba refuses the role: the message says so"
assert_contains "$(cat "$work/hba.out")" "--replay-user" "pg_hba refuses the role: names --replay-user"
assert_eq 0 "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ddlsnap_replay_%'")" \
	"pg_hba refuses the role: the role is dropped anyway"
cp "$work/pg_hba.conf.orig" "$PG_HARNESS_DIR/data/pg_hba.conf"
q postgres "SELECT pg_reload_conf()" >/dev/null

# The replay role's name is the run's: default privileges, grants and policies of the user
# that runs history are written for CURRENT_USER, so two runs (two roles) give the same
# snapshot.
v1_createdb adp --complete
q adp "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC"
q adp "CREATE TABLE t (id integer)"
q adp "GRANT ALL ON t TO CURRENT_USER"
q adp "CREATE POLICY mine ON t TO CURRENT_USER USING (id > 0)"
run_ddlsnap "$work/adp1.out" convert --source "dbname=adp" --target "dbname=adp" --git-dir "$work/adp1.git"
assert_eq 0 "$rc" "adp: first conversion ($(cat "$work/adp1.out"))"
createdb adp_target2
run_ddlsnap "$work/adp2.out" convert --source "dbname=adp" --target "dbname=adp_target2" --git-dir "$work/adp2.git"
assert_eq 0 "$rc" "adp: second conversion ($(cat "$work/adp2.out"))"
assert_eq "$(gitc "$work/adp1.git" rev-parse 'main^{tree}')" "$(gitc "$work/adp2.git" rev-parse 'main^{tree}')" \
	"adp: two runs, two replay roles, one tree"
assert_eq "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;" \
	"$(gitc "$work/adp1.git" show 'main:%global/default_privileges/CURRENT_USER on tables.sql')" \
	"adp: the history user's default privileges have no FOR ROLE"
assert_contains "$(gitc "$work/adp1.git" show 'main:public/table/t.sql')" \
	"CREATE POLICY mine ON public.t TO CURRENT_USER USING ((id > 0));" \
	"adp: the history user's policy is written TO CURRENT_USER"
finish
