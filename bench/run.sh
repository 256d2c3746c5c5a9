#!/usr/bin/env bash
# The issue 7 benchmark, in one run on one machine (run by hand; not a test):
#
#   bench/run.sh SIZE            SIZE: small (1,000 changes), medium (10,000), large (100,000)
#
# Builds the Release build in build-rel (configured if missing, brought up to date always),
# starts a throwaway PostgreSQL (tests/harness/pg.sh), generates the history
# (bench/synth_tenants.py) and loads it into a v1 fixture database, then measures, each with
# /usr/bin/time -v:
#   (a) raw replay: bench/raw_replay.c, the changes with savepoints and nothing else;
#   (b) the naive algorithm of seeds/002: bench/naive.c (capped by NAIVE_MAX changes);
#   (c) ddlsnap convert into a v2 store in its own target database.
# and then `ddlsnap snapshot` of the final schema (the database (a) built) against
# `pg_dump --schema-only` of it. Prints a table with the ratios (c)/(a) and (b)/(c).
# Peak RSS is our process's (ddlsnap, raw_replay, naive); PostgreSQL's memory is separate.
#
# Environment:
#   NAIVE_MAX   changes the naive run stops after (default: all for small, 1000 for medium,
#               300 for large; 0 skips it). When capped, (b) is its cost per change over the
#               first NAIVE_MAX changes times the history's length: a lower bound, since the
#               schema (and the naive cost per change) only grows later in the history.
#   LOAD        copy (default): pggit.history rows by COPY (bench/lib.sh); psql: through the
#               v1 fixture's event triggers (slow for large). bench/check_load.sh shows both
#               give ddlsnap the same change groups.
#   BATCH       ddlsnap's --batch-size (default 100).
#   BUILD       the build directory (default build-rel).
#   SEED        the generator's seed (default 1).
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd -- "$here/.." && pwd -P)"
size="${1:-}"
case "$size" in
small) naive_default=all ;;
medium) naive_default=1000 ;;
large) naive_default=300 ;;
*)
	echo "usage: bench/run.sh small|medium|large" >&2
	exit 2
	;;
esac
naive_max="${NAIVE_MAX:-$naive_default}"
load="${LOAD:-copy}"
batch="${BATCH:-100}"
build="${BUILD:-$repo/build-rel}"
seed="${SEED:-1}"

say() { printf '%s\n' "$*" >&2; }

if [[ ! -f "$build/CMakeCache.txt" ]]; then
	say "configuring a Release build in $build"
	cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DDDLSNAP_BENCH=ON >/dev/null
fi
say "building ddlsnap and the baselines (Release)"
cmake --build "$build" -j2 --target ddlsnap raw_replay naive >/dev/null
DDLSNAP="$build/ddlsnap"

source "$repo/tests/harness/pg.sh"
source "$here/lib.sh"
pg_start >/dev/null
out="$PG_HARNESS_DIR/bench"
mkdir -p "$out"
chmod 755 "$out"
pgversion="$(psql -X -A -t -c 'SHOW server_version')"

# measure NAME CMD...: run CMD under /usr/bin/time -v; stdout and stderr in $out/NAME.*;
# sets WALL (s) and RSS (MB).
measure()
{
	local name="$1"
	shift
	if ! /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err"; then
		say "$name failed:"
		tail -20 "$out/$name.err" >&2
		return 1
	fi
	WALL="$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
		"$out/$name.time")"
	RSS="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' \
		"$out/$name.time")"
}

py() { python3 -c "print($*)"; }

say "generating $size (seed $seed)"
start=$(date +%s.%N)
python3 "$here/synth_history.py" --size "$size" --out "$out/synth" --seed "$seed"
gen_s="$(py "'%.1f' % ($(date +%s.%N) - $start)")"

say "loading ($load)"
start=$(date +%s.%N)
if [[ "$load" == psql ]]; then
	v1_createdb src --complete >/dev/null
	bench_load_psql src "$out/synth" >/dev/null
else
	v1_createdb src >/dev/null
	bench_load_copy src "$out/synth" >/dev/null
fi
load_s="$(py "'%.1f' % ($(date +%s.%N) - $start)")"
rows="$(psql -X -A -t -d src -c 'SELECT count(*) FROM pggit.history')"
changes="$(wc -l <"$out/synth/history.copy")"

# (a)
say "(a) raw replay"
createdb -T template0 raw
measure raw "$build/bench/raw_replay" --source dbname=src --target dbname=raw
a_wall=$WALL a_rss=$RSS
a_failed="$(sed -n 's/.*(\([0-9]*\) failed).*/\1/p' "$out/raw.out")"

# The final schema: what ddlsnap captures of it, and pg_dump.
say "snapshot of the final schema against pg_dump --schema-only"
measure snapshot "$DDLSNAP" snapshot --source dbname=raw --git-dir "$out/snapshot.git" --quiet
snap_wall=$WALL
objects="$(git --git-dir="$out/snapshot.git" ls-tree -r main | wc -l)"
measure pgdump pg_dump --schema-only -d raw -f "$out/raw.schema.sql"
dump_wall=$WALL

# (c)
say "(c) ddlsnap convert"
createdb conv
measure convert "$DDLSNAP" convert --source dbname=src --target dbname=conv \
	--batch-size "$batch" --events "$out/convert.events" --quiet
c_wall=$WALL c_rss=$RSS
# The cost of one change at the end of the history, schema at its largest: the last five
# batches of the events file (elapsed_ms is cumulative).
tail_ms="$(python3 - "$out/convert.events" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ev = [e for e in ev if e.get("event") == "batch"]
if len(ev) < 6:
    print("n/a")
else:
    a, b = ev[-6], ev[-1]
    n = b["processed_changes"] - a["processed_changes"]
    print("%.2f" % ((b["elapsed_ms"] - a["elapsed_ms"]) / n) if n else "n/a")
PY
)"

# (b)
b_line="skipped (NAIVE_MAX=0)"
b_ratio="n/a"
if [[ "$naive_max" != 0 ]]; then
	say "(b) naive (seeds/002), ${naive_max} changes"
	createdb naive
	args=(--source dbname=src --target dbname=naive)
	[[ "$naive_max" == all ]] || args+=(--max-changes "$naive_max")
	measure naive "$build/bench/naive" "${args[@]}"
	b_wall=$WALL b_rss=$RSS
	b_changes="$(sed -n 's/^naive: \([0-9]*\) changes.*/\1/p' "$out/naive.out")"
	b_per="$(py "$b_wall / $b_changes")"
	if ((b_changes < changes)); then
		b_est="$(py "'%.0f' % ($b_per * $changes)")"
		b_line="$(printf '| (b) naive, first %s changes | %s | %s | %.1f | %s |\n| (b) naive, extrapolated (lower bound) | %s | %s | %.1f | |' \
			"$b_changes" "$b_changes" "$b_wall" "$(py "1 / $b_per")" "$b_rss" \
			"$changes" "$b_est" "$(py "1 / $b_per")")"
	else
		b_line="$(printf '| (b) naive (seeds/002) | %s | %s | %.1f | %s |' "$b_changes" "$b_wall" \
			"$(py "$b_changes / $b_wall")" "$b_rss")"
	fi
	b_ratio="$(py "'%.1f' % ($b_per * $changes / $c_wall)")"
	((b_changes < changes)) && b_ratio=">= $b_ratio (extrapolated)"
fi

row() { printf '| %s | %s | %s | %.1f | %s |\n' "$1" "$2" "$3" "$(py "$2 / $3")" "$4"; }
{
	printf '\n## bench/run.sh %s: %s changes, %s v1 rows, %s objects at the end\n\n' \
		"$size" "$changes" "$rows" "$objects"
	printf 'Machine: %s cores, %s GiB RAM, %s; PostgreSQL %s (tests/harness/pg.sh: fsync off); %s\n' \
		"$(nproc)" "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" \
		"$(uname -sr)" "$pgversion" "$(date -u +%Y-%m-%d)"
	printf 'generated in %s s, loaded (%s) in %s s; ddlsnap %s, batch size %s\n\n' \
		"$gen_s" "$load" "$load_s" "$(git -C "$repo" rev-parse --short HEAD)" "$batch"
	printf '| run | changes | wall s | changes/s | peak RSS MB |\n|---|--:|--:|--:|--:|\n'
	row "(a) raw replay" "$changes" "$a_wall" "$a_rss"
	printf '%s\n' "$b_line"
	row "(c) ddlsnap convert" "$changes" "$c_wall" "$c_rss"
	printf '\n(c)/(a) = %s    (b)/(c) = %s\n' "$(py "'%.2f' % ($c_wall / $a_wall)")" "$b_ratio"
	printf 'failed changes: raw replay %s; ddlsnap: %s\n' "$a_failed" \
		"$(grep -i -m1 'fail' "$out/convert.err" || echo 'see summary')"
	printf 'ddlsnap cost per change over the last 5 batches: %s ms\n' "$tail_ms"
	printf 'final schema: ddlsnap snapshot %s s, pg_dump --schema-only %s s (snapshot/pg_dump %s)\n' \
		"$snap_wall" "$dump_wall" "$(py "'%.2f' % ($snap_wall / $dump_wall)")"
	printf 'ddlsnap convert summary: %s\n' "$(tail -n 1 "$out/convert.err")"
} | tee "${BENCH_REPORT:-/dev/null}"
