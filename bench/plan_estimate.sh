#!/usr/bin/env bash
# How good is `ddlsnap plan`'s estimate? Generate a synthetic history
# (bench/synth_history.py, CHANGES changes, default 2000), run plan, then
# the real conversion, and print both times and their ratio.
#   usage: bench/plan_estimate.sh [CHANGES] [BATCH]      (run by hand; not a test)
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd -- "$here/.." && pwd -P)"
changes="${1:-2000}"
batch="${2:-100}"
DDLSNAP="${DDLSNAP:-$repo/build/ddlsnap}"
source "$repo/tests/harness/pg.sh"
pg_start >/dev/null
python3 "$here/synth_history.py" "$changes" >"$PG_HARNESS_DIR/history.sql"
v1_createdb synth --complete >/dev/null
v1_load synth "$PG_HARNESS_DIR/history.sql" >/dev/null
rows="$(psql -X -A -t -d synth -c 'SELECT count(*) FROM pggit.history')"
"$DDLSNAP" plan --source "dbname=synth" --batch-size "$batch" --json >"$PG_HARNESS_DIR/plan.json" 2>/dev/null || true
estimate="$(python3 -c 'import json,sys; print("%.1f" % json.load(open(sys.argv[1]))["estimate"]["estimated_seconds"])' "$PG_HARNESS_DIR/plan.json")"
start=$(date +%s.%N)
"$DDLSNAP" convert --source "dbname=synth" --batch-size "$batch" --quiet 2>"$PG_HARNESS_DIR/convert.out" || true
end=$(date +%s.%N)
actual="$(python3 -c "print('%.1f' % ($end - $start))")"
printf 'changes %s, v1 rows %s, batch %s\n' "$changes" "$rows" "$batch"
printf 'plan estimate %s s, actual conversion %s s, actual/estimate %s\n' "$estimate" "$actual" \
	"$(python3 -c "print('%.2f' % ($actual / $estimate))")"
tail -3 "$PG_HARNESS_DIR/convert.out"
