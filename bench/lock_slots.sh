#!/usr/bin/env bash
# Does a schema the size of the large benchmark's need more lock slots than a default server
# has, for pg_dump --schema-only as for ddlsnap snapshot? (run by hand; not a test)
#
#   bench/lock_slots.sh [SIZE]      SIZE: large (default), medium or small
#
# Starts a throwaway PostgreSQL with the harness's settings (max_locks_per_transaction 64,
# max_connections 40), builds the final schema of bench/synth_history.py SIZE by raw replay,
# analyzes it, then runs both tools on it and prints their exit status and time.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd -- "$here/.." && pwd -P)"
size="${1:-large}"
build="${BUILD:-$repo/build-rel}"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DDDLSNAP_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target ddlsnap raw_replay >/dev/null
source "$repo/tests/harness/pg.sh"
source "$here/lib.sh"
pg_start >/dev/null
out="$PG_HARNESS_DIR/bench"
mkdir -p "$out"
chmod 755 "$out"
printf 'max_locks_per_transaction %s, max_connections %s\n' \
	"$(psql -X -A -t -c 'SHOW max_locks_per_transaction')" "$(psql -X -A -t -c 'SHOW max_connections')"
python3 "$here/synth_history.py" --size "$size" --out "$out/synth" --seed 1
v1_createdb src >/dev/null
bench_load_copy src "$out/synth" >/dev/null
createdb -T template0 raw
"$build/bench/raw_replay" --source dbname=src --target dbname=raw >/dev/null
vacuumdb --analyze-only --quiet -d raw
psql -X -A -t -d raw -c "SELECT 'relations: ' || count(*) FROM pg_class WHERE relnamespace > 16384"
# run NAME CMD...: CMD's exit status, wall time and last line of output
run()
{
	local name="$1" start rc=0
	shift
	start=$(date +%s.%N)
	"$@" >"$out/$name.log" 2>&1 || rc=$?
	printf '%s: exit %s after %.1f s: %s\n' "$name" "$rc" "$(python3 -c "print($(date +%s.%N) - $start)")" \
		"$(tail -n 1 "$out/$name.log")"
}
run pg_dump pg_dump --schema-only -d raw -f "$out/raw.sql"
run snapshot "$build/ddlsnap" snapshot --source dbname=raw --git-dir "$out/snap.git" --quiet
