# shellcheck shell=bash
#
# tests/harness/pg.sh: throwaway PostgreSQL clusters for integration tests and scripts.
#
# Source this file, then:
#
#   pg_start                      fresh cluster in a new `mktemp -d` directory, listening only
#                                 on a unix socket in that directory (fsync off, TimeZone UTC);
#                                 exports PGHOST (= the directory), PGPORT, PGUSER=postgres,
#                                 PGDATABASE=postgres, PGTZ=UTC, PG_HARNESS_DIR, PG_HARNESS_LOG
#                                 (the server log) and PG_HARNESS_REPO, and puts the server's bin
#                                 directory (psql, pg_dump of the same version) first on PATH.
#                                 Installs an EXIT trap that stops the server and removes the
#                                 directory (and HUP/INT/TERM traps that exit through it).
#   pg_stop                       stop the server and remove the directory now.
#   pg_on_exit CMD [ARGS...]      run CMD (before the server stops) when the shell exits.
#   v1_createdb NAME [--complete] createdb NAME and install the pgGit v1 fixture
#                                 (testdata/v1/pggit_v1.sql) in it; --complete also sets
#                                 pggit_fixture.record_all = on for that database, so every DDL
#                                 command is recorded, not only what pgGit v1 records.
#   v1_load NAME FILE             run a history fixture into NAME with psql; the fixture's event
#                                 triggers record pggit.history while it runs. A relative FILE
#                                 that does not exist is looked up in the repository.
#
# Environment read:
#   DDLSNAP_SOURCE_DIR  repository root (default: two levels above this file)
#   PG_BINDIR           PostgreSQL server binaries (default: /usr/lib/postgresql/15/bin, then
#                       the newest /usr/lib/postgresql/*/bin, then wherever initdb is on PATH)
#   PG_HARNESS_TMPDIR   where to create the cluster directory (default: $TMPDIR or /tmp)
#   PG_HARNESS_KEEP=1   keep the directory (data, server log) at exit and print where it is
#   PG_HARNESS_CONF     more postgresql.conf lines for the cluster pg_start makes
#   PG_HARNESS_SERVER_USER  as root, the user the server runs as (default: postgres)
#
# Each pg_start gets its own directory, socket and port, so tests may run in parallel. As root the
# server runs as user `postgres` (initdb and postgres refuse to run as root); the directory is
# then owned by postgres and root reaches it as the superuser it is. If the shell is killed hard
# (SIGKILL from a test timeout) a detached watchdog notices and stops the server.

if [[ -n "${_PG_HARNESS_LOADED:-}" ]]; then
	return 0
fi
_PG_HARNESS_LOADED=1

if [[ -n "${DDLSNAP_SOURCE_DIR:-}" ]]; then
	PG_HARNESS_REPO="$DDLSNAP_SOURCE_DIR"
else
	PG_HARNESS_REPO="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
fi
export PG_HARNESS_REPO

_pg_cleanup_cmds=()
_pg_prev_exit_trap=""
_pg_server_user=""
_pg_bindir=""
_pg_owner_pid=""

_pg_say()
{
	printf 'pg.sh: %s\n' "$*" >&2
}

# The directory holding initdb, pg_ctl and postgres.
_pg_find_bindir()
{
	local d
	if [[ -n "${PG_BINDIR:-}" ]]; then
		if [[ -x "$PG_BINDIR/initdb" && -x "$PG_BINDIR/pg_ctl" ]]; then
			printf '%s\n' "$PG_BINDIR"
			return 0
		fi
		_pg_say "PG_BINDIR=$PG_BINDIR has no initdb/pg_ctl"
		return 1
	fi
	if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
		printf '%s\n' /usr/lib/postgresql/15/bin
		return 0
	fi
	d="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
		sort -V | tail -n 1)"
	if [[ -n "$d" ]]; then
		dirname -- "$d"
		return 0
	fi
	if d="$(command -v initdb 2>/dev/null)"; then
		dirname -- "$d"
		return 0
	fi
	_pg_say "no PostgreSQL server binaries found (install postgresql-15 or set PG_BINDIR)"
	return 1
}

# Run a command as the user the server runs as, from a directory that user can enter.
_pg_as_server()
{
	local dir="$PG_HARNESS_DIR"
	if [[ -z "$_pg_server_user" ]]; then
		(cd -- "$dir" && "$@")
	else
		(cd -- "$dir" && runuser -u "$_pg_server_user" -- "$@")
	fi
}

# Make the cluster directory; as root it must be reachable by the server user and the socket
# path must fit in a sockaddr_un (107 bytes).
_pg_make_dir()
{
	local base dir
	for base in "${PG_HARNESS_TMPDIR:-${TMPDIR:-/tmp}}" /tmp; do
		[[ -d "$base" ]] || continue
		dir="$(mktemp -d "$base/ddlsnap-pg.XXXXXX" 2>/dev/null)" || continue
		dir="$(cd -- "$dir" && pwd -P)"
		if ((${#dir} + 20 > 107)); then
			rmdir -- "$dir"
			continue
		fi
		if [[ -n "$_pg_server_user" ]]; then
			if ! chown "$_pg_server_user:" "$dir" || ! chmod 700 "$dir"; then
				rmdir -- "$dir"
				continue
			fi
			if ! PG_HARNESS_DIR="$dir" _pg_as_server test -w "$dir" 2>/dev/null; then
				rmdir -- "$dir"
				continue
			fi
		fi
		printf '%s\n' "$dir"
		return 0
	done
	_pg_say "could not create a cluster directory"
	return 1
}

# Detached watchdog: stops the server and removes the directory once the shell that called
# pg_start is gone, however it went. It exits by itself when the directory disappears.
_pg_start_watchdog()
{
	local script
	# shellcheck disable=SC2016
	script='
		owner=$1 dir=$2 bindir=$3 keep=$4 runas=$5
		echo "$$" >"$dir/watchdog.pid" 2>/dev/null || exit 0
		while kill -0 "$owner" 2>/dev/null && [ -d "$dir/data" ]; do
			sleep 2
		done
		[ -d "$dir/data" ] || exit 0
		if [ -n "$runas" ]; then
			(cd "$dir" && runuser -u "$runas" -- "$bindir/pg_ctl" -D "$dir/data" -m immediate -s -w stop)
		else
			"$bindir/pg_ctl" -D "$dir/data" -m immediate -s -w stop
		fi
		[ "$keep" = 1 ] || rm -rf -- "$dir"
	'
	if command -v setsid >/dev/null 2>&1; then
		setsid -f bash -c "$script" pg-harness-watchdog "$_pg_owner_pid" "$PG_HARNESS_DIR" \
			"$_pg_bindir" "${PG_HARNESS_KEEP:-0}" "$_pg_server_user" \
			</dev/null >/dev/null 2>&1
	else
		bash -c "$script" pg-harness-watchdog "$_pg_owner_pid" "$PG_HARNESS_DIR" \
			"$_pg_bindir" "${PG_HARNESS_KEEP:-0}" "$_pg_server_user" \
			</dev/null >/dev/null 2>&1 &
		disown "$!" 2>/dev/null || true
	fi
}

_pg_third()
{
	printf '%s' "$3"
}

_pg_on_exit_trap()
{
	local rc=$? i
	for ((i = ${#_pg_cleanup_cmds[@]} - 1; i >= 0; i--)); do
		eval "${_pg_cleanup_cmds[i]}" || true
	done
	_pg_cleanup_cmds=()
	pg_stop || true
	if [[ -n "$_pg_prev_exit_trap" ]]; then
		eval "$_pg_prev_exit_trap" || true
	fi
	return "$rc"
}

# pg_on_exit CMD [ARGS...]: run at exit, in reverse order of registration, before the server
# stops. Use this rather than your own `trap ... EXIT`, which would replace the harness's.
pg_on_exit()
{
	local q
	printf -v q '%q ' "$@"
	_pg_cleanup_cmds+=("$q")
}

pg_start()
{
	local dir port locale rc prev
	if [[ -n "${PG_HARNESS_DIR:-}" && -d "${PG_HARNESS_DIR}/data" && -n "$_pg_owner_pid" ]]; then
		_pg_say "a server is already running in $PG_HARNESS_DIR"
		return 1
	fi
	_pg_bindir="$(_pg_find_bindir)" || return 1
	_pg_server_user=""
	if [[ "$(id -u)" == 0 ]]; then
		_pg_server_user="${PG_HARNESS_SERVER_USER:-postgres}"
		if ! id -u "$_pg_server_user" >/dev/null 2>&1; then
			_pg_say "running as root but user '$_pg_server_user' does not exist" \
				"(install postgresql-15, which creates it)"
			return 1
		fi
	fi
	dir="$(_pg_make_dir)" || return 1
	export PG_HARNESS_DIR="$dir"
	export PG_HARNESS_LOG="$dir/server.log"
	_pg_owner_pid="${BASHPID:-$$}"

	# Install the cleanup before anything can fail half-way; keep an earlier EXIT trap.
	prev="$(trap -p EXIT)"
	if [[ -n "$prev" && "$prev" != *_pg_on_exit_trap* ]]; then
		# `trap -p` prints "trap -- 'CMD' EXIT", quoted for eval.
		_pg_prev_exit_trap="$(eval "_pg_third $prev")"
	fi
	trap _pg_on_exit_trap EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM

	# C.UTF-8 where the C library has it, else plain C: byte order either way.
	rc=1
	for locale in C.UTF-8 C; do
		rm -rf -- "$dir/data"
		if _pg_as_server "$_pg_bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
			--locale="$locale" --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
			rc=0
			break
		fi
	done
	if ((rc != 0)); then
		_pg_say "initdb failed:"
		cat -- "$dir/initdb.log" >&2
		return 1
	fi

	port=$((20000 + (RANDOM % 20000)))
	# Values are single-quoted in postgresql.conf; double any quote in the path.
	cat >>"$dir/data/postgresql.conf" <<EOF

# --- tests/harness/pg.sh ---
listen_addresses = ''
unix_socket_directories = '${dir//\'/\'\'}'
port = $port
fsync = off
full_page_writes = off
synchronous_commit = off
timezone = 'UTC'
log_timezone = 'UTC'
max_connections = 40
shared_buffers = 32MB
max_wal_size = 256MB
EOF
	# A test that needs another setting (tests/integration/lock_slots.sh) names it.
	if [[ -n "${PG_HARNESS_CONF:-}" ]]; then
		printf '%s\n' "$PG_HARNESS_CONF" >>"$dir/data/postgresql.conf"
	fi
	: >"$PG_HARNESS_LOG"
	if [[ -n "$_pg_server_user" ]]; then
		chown "$_pg_server_user:" "$PG_HARNESS_LOG"
	fi
	if ! _pg_as_server "$_pg_bindir/pg_ctl" -D "$dir/data" -l "$PG_HARNESS_LOG" -w -t 60 -s \
		start >/dev/null; then
		_pg_say "server did not start; log $PG_HARNESS_LOG:"
		tail -n 50 -- "$PG_HARNESS_LOG" >&2
		return 1
	fi
	_pg_start_watchdog

	unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGOPTIONS PGTARGETSESSIONATTRS PGPASSWORD
	export PGHOST="$dir"
	export PGPORT="$port"
	export PGUSER=postgres
	export PGDATABASE=postgres
	export PGTZ=UTC
	case ":$PATH:" in
	*":$_pg_bindir:"*) ;;
	*) export PATH="$_pg_bindir:$PATH" ;;
	esac

	local i
	for ((i = 0; i < 100; i++)); do
		if "$_pg_bindir/pg_isready" -q -h "$dir" -p "$port" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	_pg_say "server does not answer; log $PG_HARNESS_LOG:"
	tail -n 50 -- "$PG_HARNESS_LOG" >&2
	return 1
}

pg_stop()
{
	local dir="${PG_HARNESS_DIR:-}" wd
	[[ -n "$dir" && -n "$_pg_owner_pid" ]] || return 0
	# Only the shell that started the server stops it (not subshells that inherit the trap).
	[[ "${BASHPID:-$$}" == "$_pg_owner_pid" ]] || return 0
	if [[ -f "$dir/data/postmaster.pid" ]]; then
		_pg_as_server "$_pg_bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 -s stop \
			>/dev/null 2>&1 ||
			_pg_as_server "$_pg_bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop \
				>/dev/null 2>&1 || true
	fi
	if [[ -f "$dir/watchdog.pid" ]]; then
		wd="$(cat -- "$dir/watchdog.pid" 2>/dev/null)"
		[[ "$wd" =~ ^[0-9]+$ ]] && kill "$wd" 2>/dev/null
		rm -f -- "$dir/watchdog.pid"
	fi
	if [[ "${PG_HARNESS_KEEP:-0}" == 1 ]]; then
		_pg_say "kept $dir (server log: $dir/server.log;" \
			"restart: pg_ctl -D $dir/data -l $dir/server.log start)"
	else
		rm -rf -- "$dir"
	fi
	_pg_owner_pid=""
	unset PG_HARNESS_DIR PG_HARNESS_LOG PGHOST PGPORT
	return 0
}

# The absolute path of a fixture: as given if it exists, else relative to the repository.
_pg_fixture_path()
{
	local f="$1"
	if [[ -f "$f" ]]; then
		printf '%s\n' "$f"
	elif [[ "$f" != /* && -f "$PG_HARNESS_REPO/$f" ]]; then
		printf '%s\n' "$PG_HARNESS_REPO/$f"
	else
		_pg_say "no such fixture: $f"
		return 1
	fi
}

v1_createdb()
{
	local name="${1:-}" complete=0
	if [[ -z "$name" ]]; then
		_pg_say "usage: v1_createdb NAME [--complete]"
		return 2
	fi
	shift
	while (($#)); do
		case "$1" in
		--complete) complete=1 ;;
		*)
			_pg_say "v1_createdb: unknown option $1"
			return 2
			;;
		esac
		shift
	done
	createdb "$name" || return 1
	psql -X -q -v ON_ERROR_STOP=1 -d "$name" \
		-f "$PG_HARNESS_REPO/testdata/v1/pggit_v1.sql" || return 1
	if ((complete)); then
		# Takes effect for new sessions, i.e. for every v1_load that follows.
		printf '%s\n' 'ALTER DATABASE :"db" SET pggit_fixture.record_all = on;' |
			psql -X -q -v ON_ERROR_STOP=1 -v db="$name" -d "$name" || return 1
	fi
}

v1_load()
{
	local name="${1:-}" file
	if [[ -z "$name" || -z "${2:-}" ]]; then
		_pg_say "usage: v1_load NAME FILE"
		return 2
	fi
	file="$(_pg_fixture_path "$2")" || return 1
	psql -X -q -v ON_ERROR_STOP=1 -d "$name" -f "$file"
}
