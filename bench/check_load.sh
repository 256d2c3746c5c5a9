#!/usr/bin/env bash
# Check that bench_load_copy gives ddlsnap the same history as loading through the v1
# fixture's event triggers: generate SIZE (default small), load it both ways into two
# databases and compare the change groups ddlsnap replays.
#   usage: bench/check_load.sh [SIZE]      (run by hand; not a test)
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd -- "$here/.." && pwd -P)"
size="${1:-small}"
source "$repo/tests/harness/pg.sh"
source "$here/lib.sh"
pg_start >/dev/null
dir="$PG_HARNESS_DIR/synth"
python3 "$here/synth_history.py" --size "$size" --out "$dir"
v1_createdb via_psql --complete >/dev/null
v1_createdb via_copy >/dev/null
start=$(date +%s.%N)
bench_load_psql via_psql "$dir" >/dev/null
mid=$(date +%s.%N)
bench_load_copy via_copy "$dir" >/dev/null
end=$(date +%s.%N)
bench_groups via_psql >"$dir/groups_psql"
bench_groups via_copy >"$dir/groups_copy"
rows_psql="$(psql -X -A -t -d via_psql -c 'SELECT count(*) FROM pggit.history')"
printf 'psql load: %s rows in %.1f s; COPY load: %s rows in %.1f s\n' "$rows_psql" \
	"$(python3 -c "print($mid - $start)")" "$(wc -l <"$dir/history.copy")" \
	"$(python3 -c "print($end - $mid)")"
if cmp -s "$dir/groups_psql" "$dir/groups_copy"; then
	printf 'same %s change groups\n' "$(wc -l <"$dir/groups_copy")"
else
	diff "$dir/groups_psql" "$dir/groups_copy" | head -20
	echo "the two loads differ" >&2
	exit 1
fi
