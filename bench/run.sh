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
#   (c) ddlsnap convert into a v2 store in its own target database and into a git repository
#       (both sinks, as a conversion is used; GIT=0 leaves the repository out, as the figures
#       before 2026-11-21 session 5 did).
# and then `ddlsnap snapshot` of the final schema (the database (a) built, its catalogs
# analyzed) against `pg_dump --schema-only` of it. Prints a table with the ratios (c)/(a) and (b)/(c).
# Peak RSS is our process's (ddlsnap, raw_replay, naive); PostgreSQL's memory is separate.
#
# Environment:
#   NAIVE_MAX   changes the naive run stops after (default: all for small, 1000 for medium,
#               300 for large; 0 skips it). When capped, (b) is its cost per change over the
#               first NAIVE_MAX changes times the history's length: a lower bound, since the
#               schema (and the naive cost per change) only grows later in the history.
#   NAIVE_SECONDS  also stop the naive run after the change that ends this many seconds after
#               its start (NAIVE_MAX=all NAIVE_SECONDS=3600: as far as it gets in an hour, the
#               issue's limit); extrapolated the same way when it stops early.
#   LOAD        copy (default): pggit.history rows by COPY (bench/lib.sh); psql: through the
#               v1 fixture's event triggers (slow for large). bench/check_load.sh shows both
#               give ddlsnap the same change groups.
#   MAX_CHANGES run everything on the first N changes of the history only (a quick check of
#               a size whose full run takes too long); the report says so.
#   BATCH       ddlsnap's --batch-size (default 100).
#   BUILD       the build directory (default build-rel).
#   ONLY_SNAPSHOT=1  stop after (a) and the snapshot against pg_dump (the large schema's
#               snapshot figure without its hours of conversion).
#   SEED        the generator's seed (default 1).
#   GIT         1 (default): (c) also writes a git repository (--git-dir); 0: the store only.
#   MAX_LOCKS   the server's max_locks_per_transaction (default 4096; see below).
#   PROFILE=1   also print the statements the server spent the conversion's time on
#               (pg_stat_statements, preloaded for this server only).
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
git_sink="${GIT:-1}"

say() { printf '%s\n' "$*" >&2; }

# Configured every time: a build directory made before bench/ existed has no bench targets.
say "configuring a Release build in $build"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DDDLSNAP_BENCH=ON >/dev/null
say "building ddlsnap and the baselines (Release)"
cmake --build "$build" -j2 --target ddlsnap raw_replay naive >/dev/null
head="$(git -C "$repo" rev-parse --short HEAD)" # what was built, not what HEAD is at the end
DDLSNAP="$build/ddlsnap"

source "$repo/tests/harness/pg.sh"
source "$here/lib.sh"
pg_start >/dev/null
# One transaction reading the catalogs of 20,000 objects holds a lock per relation it opens:
# with the default max_locks_per_transaction (64 x 40 connections) `ddlsnap snapshot` of the
# large database fails with "out of shared memory". Raised here as a server holding such a
# schema would have it (the harness's private helpers restart the server it started).
printf 'max_locks_per_transaction = %s\n' "${MAX_LOCKS:-4096}" >>"$PG_HARNESS_DIR/data/postgresql.conf"
if [[ "${PROFILE:-0}" == 1 ]]; then
	printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.max = 10000\npg_stat_statements.track_planning = on\n" \
		>>"$PG_HARNESS_DIR/data/postgresql.conf"
fi
_pg_as_server "$_pg_bindir/pg_ctl" -D "$PG_HARNESS_DIR/data" -l "$PG_HARNESS_LOG" -w -s \
	restart >/dev/null
out="$PG_HARNESS_DIR/bench"
mkdir -p "$out"
chmod 755 "$out"
pgversion="$(psql -X -A -t -c 'SHOW server_version')"
locks="$(psql -X -A -t -c 'SHOW max_locks_per_transaction')"

# measure NAME CMD...: run CMD under /usr/bin/time -v; stdout and stderr in $out/NAME.*;
# sets WALL (s), CPU (user + system s) and RSS (MB).
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
		n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]
		printf "%.2f\n", s }' \
		"$out/$name.time")"
	CPU="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' \
		"$out/$name.time")"
	RSS="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' \
		"$out/$name.time")"
}

py() { python3 -c "print($*)"; }

# tail_cost EVENTS: ms per change over the last five batches of a convert --events file
# (elapsed_ms is cumulative): the cost of a change with the schema at its largest.
tail_cost()
{
	python3 - "$1" <<'PY'
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
}

say "generating $size (seed $seed)"
start=$(date +%s.%N)
python3 "$here/synth_history.py" --size "$size" --out "$out/synth" --seed "$seed"
gen_s="$(py "'%.1f' % ($(date +%s.%N) - $start)")"

if [[ -n "${MAX_CHANGES:-}" ]]; then
	say "keeping the first $MAX_CHANGES changes"
	head -n "$MAX_CHANGES" "$out/synth/history.copy" >"$out/synth/cut" &&
		mv "$out/synth/cut" "$out/synth/history.copy"
	# history.sql: one header line, then three lines per change
	head -n $((1 + 3 * MAX_CHANGES)) "$out/synth/history.sql" >"$out/synth/cut" &&
		mv "$out/synth/cut" "$out/synth/history.sql"
fi

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
a_wall=$WALL a_rss=$RSS a_cpu=$CPU
a_failed="$(sed -n 's/.*(\([0-9]*\) failed).*/\1/p' "$out/raw.out")"

# The final schema: what ddlsnap captures of it, and pg_dump. Its catalogs are analyzed first,
# as autovacuum keeps a live database's: right after (a) made 20,000 objects, their statistics
# still describe an empty database, and the same snapshot took 8.7 s before autovacuum came by
# and 1.7 s after (MAX_CHANGES=10000 of large), a figure of when it ran, not of either tool.
vacuumdb --analyze-only --quiet -d raw
say "snapshot of the final schema against pg_dump --schema-only"
measure snapshot "$DDLSNAP" snapshot --source dbname=raw --git-dir "$out/snapshot.git" --quiet
snap_wall=$WALL
objects="$(git --git-dir="$out/snapshot.git" ls-tree -r main | wc -l)"
measure pgdump pg_dump --schema-only -d raw -f "$out/raw.schema.sql"
dump_wall=$WALL
if [[ "${ONLY_SNAPSHOT:-0}" == 1 ]]; then
	printf 'bench/run.sh %s, snapshot only: %s changes replayed raw in %s s; %s objects;' \
		"$size" "$changes" "$a_wall" "$objects"
	printf ' ddlsnap snapshot %s s, pg_dump --schema-only %s s (snapshot/pg_dump %s)\n' \
		"$snap_wall" "$dump_wall" "$(py "round($snap_wall / $dump_wall, 2)")"
	exit 0
fi

# (c)
say "(c) ddlsnap convert"
createdb conv
if [[ "${PROFILE:-0}" == 1 ]]; then
	psql -X -q -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' \
		-c 'SELECT pg_stat_statements_reset()' >/dev/null
fi
# git_args NAME: the --git-dir option of (c), unless GIT=0
git_args()
{
	[[ "$git_sink" == 0 ]] || printf -- '--git-dir\n%s\n' "$out/$1.git"
}
mapfile -t git_opt < <(git_args conv)
measure convert "$DDLSNAP" convert --source dbname=src --target dbname=conv "${git_opt[@]}" \
	--batch-size "$batch" --events "$out/convert.events" --quiet
c_wall=$WALL c_rss=$RSS c_cpu=$CPU
tail_ms="$(tail_cost "$out/convert.events")"
profile=""
if [[ "${PROFILE:-0}" == 1 ]]; then
	profile="$(psql -X -q -P pager=off -c "
SELECT round((100 * (total_exec_time + total_plan_time)
              / sum(total_exec_time + total_plan_time) OVER ())::numeric, 1) AS pct,
       round(total_exec_time::numeric / 1000, 2) AS exec_s,
       round(total_plan_time::numeric / 1000, 2) AS plan_s, calls,
       left(regexp_replace(query, '\s+', ' ', 'g'), 80) AS query
  FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 15")"
fi

# A change in one tenant of the large database against a change in the small one: the same
# measure on the small history, converted in the same cluster.
ref_line=""
if [[ "$size" == large ]]; then
	say "(c) on the small history, for the cost of a change"
	python3 "$here/synth_history.py" --size small --out "$out/synth-small" --seed "$seed"
	v1_createdb src_small >/dev/null
	bench_load_copy src_small "$out/synth-small" >/dev/null
	createdb conv_small
	mapfile -t git_opt < <(git_args conv_small)
	measure convert_small "$DDLSNAP" convert --source dbname=src_small --target dbname=conv_small \
		"${git_opt[@]}" --batch-size "$batch" --events "$out/convert_small.events" --quiet
	small_ms="$(tail_cost "$out/convert_small.events")"
	ref_line="$(printf 'small history, same measure: %s ms; large/small %s' "$small_ms" \
		"$(py "'%.2f' % ($tail_ms / $small_ms)")")"
fi

# (b)
b_line="skipped (NAIVE_MAX=0)"
b_ratio="n/a"
if [[ "$naive_max" != 0 ]]; then
	say "(b) naive (seeds/002), ${naive_max} changes${NAIVE_SECONDS:+, at most $NAIVE_SECONDS s}"
	createdb naive
	args=(--source dbname=src --target dbname=naive)
	[[ "$naive_max" == all ]] || args+=(--max-changes "$naive_max")
	[[ -z "${NAIVE_SECONDS:-}" ]] || args+=(--max-seconds "$NAIVE_SECONDS")
	measure naive "$build/bench/naive" "${args[@]}"
	b_wall=$WALL b_rss=$RSS b_cpu=$CPU
	b_changes="$(sed -n 's/^naive: \([0-9]*\) changes.*/\1/p' "$out/naive.out")"
	b_per="$(py "$b_wall / $b_changes")"
	if ((b_changes < changes)); then
		b_est="$(py "'%.0f' % ($b_per * $changes)")"
		b_line="$(printf '| (b) naive, first %s changes | %s | %s | %.1f | %s | %s |\n| (b) naive, extrapolated (lower bound) | %s | %s | %.1f | | |' \
			"$b_changes" "$b_changes" "$b_wall" "$(py "1 / $b_per")" "$b_rss" "$b_cpu" \
			"$changes" "$b_est" "$(py "1 / $b_per")")"
	else
		b_line="$(printf '| (b) naive (seeds/002) | %s | %s | %.1f | %s | %s |' "$b_changes" \
			"$b_wall" "$(py "$b_changes / $b_wall")" "$b_rss" "$b_cpu")"
	fi
	b_ratio="$(py "'%.1f' % ($b_per * $changes / $c_wall)")"
	((b_changes < changes)) && b_ratio=">= $b_ratio (extrapolated)"
fi

row() { printf '| %s | %s | %s | %.1f | %s | %s |\n' "$1" "$2" "$3" "$(py "$2 / $3")" "$4" "$5"; }
{
	printf '\n## bench/run.sh %s%s: %s changes, %s v1 rows, %s objects at the end\n\n' \
		"$size" "${MAX_CHANGES:+ (MAX_CHANGES=$MAX_CHANGES)}" "$changes" "$rows" "$objects"
	printf 'Machine: %s cores, %s GiB RAM, %s; PostgreSQL %s (tests/harness/pg.sh: fsync off, max_locks_per_transaction %s); %s\n' \
		"$(nproc)" "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" \
		"$(uname -sr)" "$pgversion" "$locks" "$(date -u +%Y-%m-%d)"
	printf 'generated in %s s, loaded (%s) in %s s; ddlsnap %s, batch size %s; (c) writes %s\n\n' \
		"$gen_s" "$load" "$load_s" "$head" "$batch" \
		"$([[ "$git_sink" == 0 ]] && echo "the store only" || echo "the store and a git repository")"
	printf '| run | changes | wall s | changes/s | peak RSS MB | our CPU s |\n|---|--:|--:|--:|--:|--:|\n'
	row "(a) raw replay" "$changes" "$a_wall" "$a_rss" "$a_cpu"
	printf '%s\n' "$b_line"
	row "(c) ddlsnap convert" "$changes" "$c_wall" "$c_rss" "$c_cpu"
	printf '\n(c)/(a) = %s    (b)/(c) = %s\n' "$(py "'%.2f' % ($c_wall / $a_wall)")" "$b_ratio"
	printf 'failed changes: raw replay %s; ddlsnap: %s\n' "$a_failed" \
		"$(grep -i -m1 'fail' "$out/convert.err" || echo 'see summary')"
	printf 'ddlsnap cost per change over the last 5 batches: %s ms\n' "$tail_ms"
	[[ -z "$ref_line" ]] || printf '%s\n' "$ref_line"
	printf 'final schema: ddlsnap snapshot %s s, pg_dump --schema-only %s s (snapshot/pg_dump %s)\n' \
		"$snap_wall" "$dump_wall" "$(py "'%.2f' % ($snap_wall / $dump_wall)")"
	printf 'ddlsnap convert summary: %s\n' "$(tail -n 1 "$out/convert.err")"
	printf 'where (c) spent its time: %s\n' \
		"$(grep -m1 'replaying changes:' "$out/convert.err" | sed 's/^convert: //')"
	[[ -z "$profile" ]] || printf '\nserver time during (c), by statement (pg_stat_statements):\n%s\n%s\n' \
		"$(psql -X -A -t -c "SELECT format('all statements: %s s executing, %s s planning',
		   round(sum(total_exec_time)::numeric / 1000, 1),
		   round(sum(total_plan_time)::numeric / 1000, 1)) FROM pg_stat_statements")" "$profile"
} | tee "${BENCH_REPORT:-/dev/null}"
