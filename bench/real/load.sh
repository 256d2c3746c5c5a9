#!/usr/bin/env bash
# bench/real/load.sh: load a real application's migration folder into a database the way its
# migration tool sends the files, for bench/real/run.sh (see docs/real-histories.md).
#
#   usage: bench/real/load.sh [--mode complete|lossy|direct] MIGRATIONS_DIR DBNAME TOOL
#
# Needs a running server (PGHOST/PGPORT/PGUSER, e.g. from tests/harness/pg.sh pg_start).
# DBNAME must not exist; it is created:
#   complete (default)  v1_createdb DBNAME --complete: the pgGit v1 fixture records every DDL
#                       command into pggit.history while the files run;
#   lossy               v1_createdb DBNAME: the fixture records as pgGit v1 does (tables,
#                       views, indexes and functions only);
#   direct              a plain database, no pgGit: "migrated directly".
#
# TOOL says how the files are found, ordered and sent. Every file is sent as ONE query string
# (the simple query protocol, several statements in one message), as these tools do: psql's
# \gexec sends a value as one query, so a file is read into a psql variable and sent with
# `SELECT :'var' \gexec` (psql's backquotes drop the file's last newline, so sql_executed
# is the file less that newline). Each tool's bookkeeping table is created and written too (its
# columns modelled on the tool's; not DDL the application wrote, but DDL its database has).
#   diesel          DIR/<version>_<name>/up.sql, by directory name; each file inside
#                   BEGIN ... COMMIT (unless its metadata.toml says run_in_transaction =
#                   false), with the row in __diesel_schema_migrations.
#   golang-migrate  DIR/<N>_<name>.up.sql, by the number N; no transaction around a file (one
#                   multi-statement string is one implicit transaction unless it has its own
#                   BEGIN/COMMIT); schema_migrations set dirty before and clean after.
#   sqlx            DIR/<N>_<name>.sql or .up.sql, by the number N; each file inside BEGIN ...
#                   COMMIT unless its first line is `-- no-transaction`; row in _sqlx_migrations.
#   prisma          DIR/<name>/migration.sql, by directory name; no transaction around a file;
#                   row in _prisma_migrations.
#   goose           DIR/<N>_<name>.sql, by the number N; NOT one string per file: goose sends
#                   each statement of the Up section alone (bench/real/goose_split.py),
#                   inside BEGIN ... COMMIT unless the file says `-- +goose NO TRANSACTION`;
#                   row in goose_db_version.
#   pop             DIR/<version>_<name>.up.sql (gobuffalo/pop's SQL migrations), by version;
#                   each file inside BEGIN ... COMMIT with its row in schema_migrations. Pop
#                   renders a file as a Go template first: here only the one template
#                   supabase/auth uses, {{ index .Options "Namespace" }}, replaced by
#                   $POP_NAMESPACE (default auth); that schema and its schema_migrations table
#                   are created first, as the application's setup does.
# Stops at the first file that fails, as the tools do, naming the file (exit 1).
# Prints the files in the order they were sent to stdout when LOAD_LIST=1.
# Backquotes in single-quoted strings here are psql's, not the shell's.
# shellcheck disable=SC2016
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd -- "$here/../.." && pwd -P)"

usage()
{
	echo "usage: $0 [--mode complete|lossy|direct] MIGRATIONS_DIR DBNAME TOOL" >&2
	echo "  TOOL: diesel | golang-migrate | sqlx | prisma | pop | goose" >&2
	exit 2
}

mode=complete
while [[ "${1:-}" == --* ]]; do
	case "$1" in
	--mode)
		mode="${2:-}"
		shift 2
		;;
	*) usage ;;
	esac
done
[[ $# -eq 3 ]] || usage
dir="$(cd -- "$1" && pwd -P)" || usage
db="$2"
tool="$3"
case "$mode" in complete | lossy | direct) ;; *) usage ;; esac

# The files, in the tool's order, one per line.
list_files()
{
	local f
	case "$tool" in
	diesel)
		find "$dir" -mindepth 2 -maxdepth 2 -name up.sql -print | LC_ALL=C sort
		;;
	prisma)
		find "$dir" -mindepth 2 -maxdepth 2 -name migration.sql -print | LC_ALL=C sort
		;;
	pop)
		find "$dir" -mindepth 1 -maxdepth 1 -name '*.up.sql' -print | LC_ALL=C sort
		;;
	golang-migrate)
		find "$dir" -mindepth 1 -maxdepth 1 -name '*.up.sql' -print |
			while IFS= read -r f; do
				printf '%s\t%s\n' "$(basename -- "$f" | sed -E 's/^0*([0-9]+)_.*/\1/')" "$f"
			done | LC_ALL=C sort -n -k1,1 | cut -f2-
		;;
	sqlx | goose)
		find "$dir" -mindepth 1 -maxdepth 1 -name '*.sql' ! -name '*.down.sql' -print |
			while IFS= read -r f; do
				printf '%s\t%s\n' "$(basename -- "$f" | sed -E 's/^0*([0-9]+)_.*/\1/')" "$f"
			done | LC_ALL=C sort -n -k1,1 | cut -f2-
		;;
	*) usage ;;
	esac
}

# SQL string literal.
lit()
{
	printf "'%s'" "${1//\'/\'\'}"
}

# The psql script that sends the files.
script="$(mktemp)"
tmpdir="$(mktemp -d)"
trap 'rm -rf -- "$script" "$tmpdir"' EXIT
{
	echo '\set ON_ERROR_STOP 1'
	echo '\set QUIET 1'
	case "$tool" in
	diesel)
		echo 'CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version varchar(50) PRIMARY KEY NOT NULL, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);'
		;;
	golang-migrate)
		echo 'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);'
		;;
	sqlx)
		echo 'CREATE TABLE IF NOT EXISTS _sqlx_migrations (version bigint PRIMARY KEY, description text NOT NULL, installed_on timestamptz NOT NULL DEFAULT now(), success boolean NOT NULL, checksum bytea NOT NULL, execution_time bigint NOT NULL);'
		;;
	goose)
		echo 'CREATE TABLE IF NOT EXISTS goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now());'
		echo 'INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true);'
		;;
	pop)
		ns="${POP_NAMESPACE:-auth}"
		[[ "$ns" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "load.sh: bad POP_NAMESPACE" >&2; exit 2; }
		echo "CREATE SCHEMA IF NOT EXISTS $ns;"
		echo "CREATE TABLE IF NOT EXISTS $ns.schema_migrations (version varchar(14) NOT NULL);"
		echo "CREATE UNIQUE INDEX IF NOT EXISTS schema_migrations_version_idx ON $ns.schema_migrations (version);"
		;;
	prisma)
		echo 'CREATE TABLE IF NOT EXISTS _prisma_migrations (id varchar(36) PRIMARY KEY NOT NULL, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0);'
		;;
	esac
	n=0
	while IFS= read -r f; do
		n=$((n + 1))
		case "$f" in *"'"* | *'`'*)
			echo "load.sh: file names with quotes or backquotes are not supported: $f" >&2
			exit 2
			;;
		esac
		rel="${f#"$dir"/}"
		name="$(basename -- "$(dirname -- "$f")")"
		base="$(basename -- "$f")"
		tx=1
		case "$tool" in
		diesel)
			if [[ -f "$(dirname -- "$f")/metadata.toml" ]] &&
				grep -Eq '^[[:space:]]*run_in_transaction[[:space:]]*=[[:space:]]*false' \
					"$(dirname -- "$f")/metadata.toml"; then
				tx=0
			fi
			;;
		sqlx)
			head -n 1 -- "$f" | grep -Eq '^--[[:space:]]*no-transaction' && tx=0
			;;
		pop) ;;
		goose)
			split="$tmpdir/$n"
			python3 "$here/goose_split.py" "$f" "$split"
			[[ -e "$split/notx" ]] && tx=0
			;;
		*) tx=0 ;;
		esac
		[[ "${LOAD_LIST:-0}" == 1 ]] && printf '%s\n' "$rel" >&3
		printf '\\warn load.sh: %s\n' "$rel"
		# psql prints this line on stderr before it sends the file: names a file that fails.
		printf '\\set ds_file_name %s\n' "$(lit "$rel")"
		case "$tool" in
		golang-migrate)
			v="$(printf '%s' "$base" | sed -E 's/^0*([0-9]+)_.*/\1/')"
			printf 'BEGIN; TRUNCATE schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (%s, true); COMMIT;\n' "$v"
			;;
		esac
		((tx)) && echo 'BEGIN;'
		if [[ "$tool" == goose ]]; then
			for st in "$split"/[0-9]*.sql; do
				[[ -e "$st" ]] || continue
				printf '\\set ds_file `cat %s`\n' "$(lit "$st")"
				echo "SELECT :'ds_file' \\gexec"
			done
		elif [[ "$tool" == pop ]]; then
			# The namespace template, with or without spaces inside the braces.
			printf '\\set ds_file `sed -E %s %s`\n' \
				"$(lit "s/[{][{] *index +[.]Options +\"Namespace\" *[}][}]/$ns/g")" "$(lit "$f")"
		else
			printf '\\set ds_file `cat %s`\n' "$(lit "$f")"
		fi
		[[ "$tool" == goose ]] || echo "SELECT :'ds_file' \\gexec"
		case "$tool" in
		diesel)
			v="${name%%_*}"
			printf 'INSERT INTO __diesel_schema_migrations (version) VALUES (%s);\n' "$(lit "${v//-/}")"
			;;
		golang-migrate)
			printf 'BEGIN; TRUNCATE schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (%s, false); COMMIT;\n' "$v"
			;;
		sqlx)
			v="$(printf '%s' "$base" | sed -E 's/^0*([0-9]+)_.*/\1/')"
			d="$(printf '%s' "$base" | sed -E 's/^[0-9]+_//; s/(\.up)?\.sql$//; s/_/ /g')"
			printf "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (%s, %s, true, sha384(convert_to(:'ds_file', 'UTF8')), 0);\n" \
				"$v" "$(lit "$d")"
			;;
		goose)
			v="$(printf '%s' "$base" | sed -E 's/^0*([0-9]+)_.*/\1/')"
			printf 'INSERT INTO goose_db_version (version_id, is_applied) VALUES (%s, true);\n' "$v"
			;;
		pop)
			printf 'INSERT INTO %s.schema_migrations (version) VALUES (%s);\n' "$ns" \
				"$(lit "${base%%_*}")"
			;;
		prisma)
			printf "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (md5(%s), encode(sha256(convert_to(:'ds_file', 'UTF8')), 'hex'), now(), %s, 1);\n" \
				"$(lit "$name")" "$(lit "$name")"
			;;
		esac
		((tx)) && echo 'COMMIT;'
	done < <(list_files)
	if ((n == 0)); then
		echo "load.sh: no $tool migration files under $dir" >&2
		exit 1
	fi
} 3>&1 >"$script"

case "$mode" in
direct)
	createdb "$db"
	;;
*)
	# shellcheck source=/dev/null
	source "$repo/tests/harness/pg.sh"
	if [[ "$mode" == complete ]]; then
		v1_createdb "$db" --complete
	else
		v1_createdb "$db"
	fi
	;;
esac

# psql -X: no .psqlrc; one session for the whole folder, as the tools use one connection.
if ! psql -X -q -d "$db" -f "$script" >/dev/null 2>"$script.err"; then
	last="$(grep '^load.sh: ' "$script.err" | tail -n 1 | sed 's/^load.sh: //')"
	echo "load.sh: $tool file $last failed in database $db:" >&2
	grep -v '^load.sh: ' "$script.err" >&2
	rm -f -- "$script.err"
	exit 1
fi
grep -v '^load.sh: ' "$script.err" | grep -v -E '^(psql:.*)?(NOTICE|WARNING|DETAIL|HINT|CONTEXT):|^ ' >&2 || true
rm -f -- "$script.err"
