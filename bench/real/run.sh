#!/usr/bin/env bash
# bench/real/run.sh: convert a real application's migration history and compare the head
# snapshot with a database migrated directly (see docs/real-histories.md).
#
#   usage: bench/real/run.sh [--no-lossy] [--lossy-baseline FILE] NAME MIGRATIONS_DIR TOOL
#
# Starts a throwaway PostgreSQL (tests/harness/pg.sh), loads MIGRATIONS_DIR with
# bench/real/load.sh (TOOL: diesel, golang-migrate, sqlx, prisma) three times:
#   NAME_v1      the v1 fixture in complete mode (every DDL command recorded),
#   NAME_direct  a plain database: "migrated directly",
#   NAME_lossy   the v1 fixture recording what pgGit v1 records (unless --no-lossy),
# then runs `ddlsnap plan`, `ddlsnap convert --git-dir`, `ddlsnap verify` on NAME_v1 (the v2
# store goes to a separate target database, NAME_v1_store), `ddlsnap snapshot` of NAME_direct
# into another repository, and compares the trees of both heads (git rev-parse HEAD^{tree}).
# The lossy database is converted too, and its failed groups are listed; --lossy-baseline FILE
# passes `--baseline FILE` to that convert (what existed before the history, e.g. the schema an
# application's setup creates before its migrations run).
# Builds nothing: uses $DDLSNAP (default build/ddlsnap); $CONVERT_OPTS (split on spaces) is
# added to both converts and to plan, e.g. CONVERT_OPTS="--allow-extension postgis". Everything it writes (logs, both
# repositories, failed groups, the diff when the trees differ) goes to $OUT (default
# /tmp/ddlsnap-real/NAME, emptied first). Prints the figures; exit 0 when the complete run
# has no failed group, verify passes and the trees are equal, else 1.
set -uo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd -- "$here/../.." && pwd -P)"
DDLSNAP="${DDLSNAP:-$repo/build/ddlsnap}"
read -r -a copts <<<"${CONVERT_OPTS:-}"

lossy=1
lbase=()
usage()
{
	echo "usage: $0 [--no-lossy] [--lossy-baseline FILE] NAME MIGRATIONS_DIR TOOL" >&2
	exit 2
}
while [[ "${1:-}" == --* ]]; do
	case "$1" in
	--no-lossy) lossy=0 ;;
	--lossy-baseline)
		[[ -f "${2:-}" ]] || usage
		lbase=(--baseline "$(cd -- "$(dirname -- "$2")" && pwd -P)/$(basename -- "$2")")
		shift
		;;
	*) usage ;;
	esac
	shift
done
[[ $# -eq 3 ]] || usage
name="$1"
mdir="$(cd -- "$2" && pwd -P)" || exit 2
tool="$3"
if [[ ! "$name" =~ ^[a-z][a-z0-9_]*$ ]]; then
	echo "run.sh: NAME must be a lower-case identifier: $name" >&2
	exit 2
fi
if [[ ! -x "$DDLSNAP" ]]; then
	echo "run.sh: no ddlsnap binary at $DDLSNAP (build it, or set DDLSNAP)" >&2
	exit 2
fi
OUT="${OUT:-/tmp/ddlsnap-real/$name}"
rm -rf -- "$OUT"
mkdir -p -- "$OUT"

# shellcheck source=/dev/null
source "$repo/tests/harness/pg.sh"
pg_start || exit 1
if [[ "$(id -u)" == 0 ]]; then
	# As root the server runs as postgres; `ddlsnap snapshot` and the files stay ours.
	:
fi

now() { date +%s.%N; }
secs() { python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }
q() { psql -X -A -t -q -d "$1" -c "$2"; }

# Failed groups of a target store: one line each, then the classes (the error with quoted
# names and numbers blanked) with their counts.
report_failures()
{
	local target="$1" file="$2"
	q "$target" "SELECT first_history_id, array_length(history_ids, 1), coalesce(statement_number::text, '-'),
	                coalesce(sqlstate, '-'), replace(error, E'\n', ' '),
	                left(regexp_replace(coalesce(statement, ''), '\s+', ' ', 'g'), 160)
	         FROM pggit_v2.failed_changes ORDER BY first_history_id" |
		awk -F'|' '{ printf "  history %s (%s rows) statement %s: %s %s\n      %s\n", $1, $2, $3, $4, $5, $6 }' >"$file"
	q "$target" "SELECT count(*), coalesce(sqlstate, '-') || ' ' ||
	                regexp_replace(regexp_replace(error, '\"[^\"]*\"', '\"…\"', 'g'), '[0-9]+', 'N', 'g')
	         FROM pggit_v2.failed_changes GROUP BY 2 ORDER BY 1 DESC, 2" |
		awk -F'|' '{ printf "  %5d  %s\n", $1, $2 }' >"$file.classes"
}

show_plan()
{
	python3 - "$1" <<'PY' 2>/dev/null || true
import json, sys
p = json.load(open(sys.argv[1]))
def show(k, v):
    if k == "findings" and isinstance(v, list):
        kinds = {}
        for f in v:
            kinds[f.get("kind", "?")] = kinds.get(f.get("kind", "?"), 0) + 1
        print("     findings: %d %s" % (len(v), " ".join("%s=%d" % kv for kv in sorted(kinds.items()))))
    elif isinstance(v, list):
        print("     %s: %d" % (k, len(v)))
    elif isinstance(v, (int, float, str)) or v is None:
        print("     %s: %s" % (k, v))
for k, v in p.items():
    if isinstance(v, dict):
        for k2, v2 in v.items():
            show(k + "." + k2, v2)
    else:
        show(k, v)
PY
}

# The summary figures from convert's output.
convert_figures()
{
	grep -E '^convert: ([0-9]+ history rows|[0-9]+ warnings|[0-9]+ queries|[0-9]+ statements refused|[0-9]+ changes captured|[0-9.]+ s,)' "$1" |
		sed 's/^convert: /  convert: /'
}

echo "== $name: $tool history from $mdir"
echo "   ddlsnap $DDLSNAP; output in $OUT"
files="$(LOAD_LIST=1 "$here/load.sh" --mode direct "$mdir" "${name}_direct" "$tool" 2>"$OUT/load_direct.err")"
rc=$?
nfiles="$(printf '%s\n' "$files" | grep -c .)"
printf '%s\n' "$files" >"$OUT/files.txt"
if ((rc != 0)); then
	echo "   loading directly failed (not ddlsnap's doing):"
	sed 's/^/   /' "$OUT/load_direct.err"
	exit 1
fi
if ! "$here/load.sh" --mode complete "$mdir" "${name}_v1" "$tool" >/dev/null 2>"$OUT/load_v1.err"; then
	echo "   loading through the v1 fixture failed:"
	sed 's/^/   /' "$OUT/load_v1.err"
	exit 1
fi
rows="$(q "${name}_v1" 'SELECT count(*) FROM pggit.history')"
echo "   files $nfiles, v1 rows $rows (complete recording)"

createdb "${name}_v1_store"
t0="$(now)"
"$DDLSNAP" plan --source "dbname=${name}_v1" "${copts[@]}" --json >"$OUT/plan.json" 2>"$OUT/plan.err"
plan_rc=$?
t1="$(now)"
echo "   plan: exit $plan_rc, $(secs "$t0" "$t1") s ($OUT/plan.json)"
show_plan "$OUT/plan.json"

t0="$(now)"
"$DDLSNAP" convert --source "dbname=${name}_v1" --target "dbname=${name}_v1_store" "${copts[@]}" \
	--git-dir "$OUT/convert.git" --quiet >"$OUT/convert.out" 2>"$OUT/convert.err"
conv_rc=$?
t1="$(now)"
echo "   convert: exit $conv_rc, wall $(secs "$t0" "$t1") s"
cat "$OUT/convert.out" "$OUT/convert.err" >"$OUT/convert.log"
convert_figures "$OUT/convert.log" | sed 's/^/ /'
failed="$(q "${name}_v1_store" 'SELECT count(*) FROM pggit_v2.failed_changes')"
echo "   failed groups: $failed"
if ((failed > 0)); then
	report_failures "${name}_v1_store" "$OUT/failed.txt"
	echo "   failure classes (count, sqlstate, message):"
	sed 's/^/ /' "$OUT/failed.txt.classes"
	echo "   each failed group: $OUT/failed.txt"
fi

"$DDLSNAP" verify --source "dbname=${name}_v1" --target "dbname=${name}_v1_store" \
	--git-dir "$OUT/convert.git" >"$OUT/verify.out" 2>&1
ver_rc=$?
echo "   verify: exit $ver_rc"
grep -E '^  (FAIL|WARN)' "$OUT/verify.out" | sed 's/^/  /'
if ((ver_rc != 0)); then
	# The findings verify shows (it lists the first 20 of a check), by class: names and SHAs
	# blanked.
	grep -E '^ +- ' "$OUT/verify.out" |
		sed -E 's/^ +- //; s/history [0-9]+/history N/; s/[a-z_0-9/]+\.sql/FILE/g;
			s/[a-z_0-9]+\.[a-z_0-9"]+/NAME/g; s/commit [0-9a-f]+/commit SHA/' |
		sort | uniq -c | sort -rn | sed 's/^/     /'
fi

"$DDLSNAP" snapshot --source "dbname=${name}_direct" --git-dir "$OUT/direct.git" \
	--message "$name migrated directly" --quiet >"$OUT/snapshot.out" 2>&1
snap_rc=$?
echo "   snapshot of ${name}_direct: exit $snap_rc"
grep -i warn "$OUT/snapshot.out" | head -5 | sed 's/^/     /'
conv_tree="$(git --git-dir="$OUT/convert.git" rev-parse -q --verify 'HEAD^{tree}' 2>/dev/null)"
direct_tree="$(git --git-dir="$OUT/direct.git" rev-parse -q --verify 'HEAD^{tree}' 2>/dev/null)"
echo "   head tree of the conversion:  ${conv_tree:-none}"
echo "   tree of the direct snapshot:  ${direct_tree:-none}"
equal=no
if [[ -n "$conv_tree" && "$conv_tree" == "$direct_tree" ]]; then
	equal=yes
	echo "   trees equal: yes"
else
	echo "   trees equal: NO"
	if [[ -n "$conv_tree" && -n "$direct_tree" ]]; then
		git --git-dir="$OUT/convert.git" fetch -q "$OUT/direct.git" '+main:refs/direct/main'
		git --git-dir="$OUT/convert.git" diff --stat=120 main refs/direct/main >"$OUT/tree.diffstat"
		git --git-dir="$OUT/convert.git" diff main refs/direct/main >"$OUT/tree.diff"
		echo "   differences (conversion -> direct), $OUT/tree.diff:"
		tail -n 25 "$OUT/tree.diffstat" | sed 's/^/     /'
	fi
fi

if ((lossy)); then
	echo "-- lossy recording (pgGit v1: tables, views, indexes, functions only)${lbase[1]:+, baseline ${lbase[1]}}"
	if ! "$here/load.sh" --mode lossy "$mdir" "${name}_lossy" "$tool" >/dev/null 2>"$OUT/load_lossy.err"; then
		echo "   loading through the lossy v1 fixture failed:"
		sed 's/^/   /' "$OUT/load_lossy.err"
	else
		lrows="$(q "${name}_lossy" 'SELECT count(*) FROM pggit.history')"
		echo "   v1 rows $lrows (lossy recording)"
		createdb "${name}_lossy_store"
		"$DDLSNAP" plan --source "dbname=${name}_lossy" "${copts[@]}" --json >"$OUT/lossy_plan.json" 2>"$OUT/lossy_plan.err"
		echo "   plan: exit $? ($OUT/lossy_plan.json)"
		show_plan "$OUT/lossy_plan.json"
		t0="$(now)"
		"$DDLSNAP" convert --source "dbname=${name}_lossy" --target "dbname=${name}_lossy_store" "${copts[@]}" "${lbase[@]}" \
			--git-dir "$OUT/lossy.git" --quiet >"$OUT/lossy_convert.out" 2>"$OUT/lossy_convert.err"
		lrc=$?
		t1="$(now)"
		cat "$OUT/lossy_convert.out" "$OUT/lossy_convert.err" >"$OUT/lossy_convert.log"
		echo "   convert: exit $lrc, wall $(secs "$t0" "$t1") s"
		convert_figures "$OUT/lossy_convert.log" | sed 's/^/ /'
		lfailed="$(q "${name}_lossy_store" 'SELECT count(*) FROM pggit_v2.failed_changes')"
		echo "   failed groups: $lfailed"
		if ((lfailed > 0)); then
			report_failures "${name}_lossy_store" "$OUT/lossy_failed.txt"
			echo "   failure classes (count, sqlstate, message):"
			sed 's/^/ /' "$OUT/lossy_failed.txt.classes"
			echo "   each failed group: $OUT/lossy_failed.txt"
		fi
		ltree="$(git --git-dir="$OUT/lossy.git" rev-parse -q --verify 'HEAD^{tree}' 2>/dev/null)"
		if [[ -n "$ltree" && "$ltree" == "$direct_tree" ]]; then
			echo "   lossy head tree equals the direct snapshot: yes"
		else
			echo "   lossy head tree equals the direct snapshot: no"
			if [[ -n "$ltree" && -n "$direct_tree" ]]; then
				git --git-dir="$OUT/lossy.git" fetch -q "$OUT/direct.git" '+main:refs/direct/main'
				git --git-dir="$OUT/lossy.git" diff --stat=120 main refs/direct/main \
					>"$OUT/lossy_tree.diffstat"
				git --git-dir="$OUT/lossy.git" diff main refs/direct/main >"$OUT/lossy_tree.diff"
				echo "   differences (lossy conversion -> direct), $OUT/lossy_tree.diff:"
				tail -n 12 "$OUT/lossy_tree.diffstat" | sed 's/^/     /'
			fi
		fi
	fi
fi

if ((failed == 0 && ver_rc == 0)) && [[ "$equal" == yes ]]; then
	exit 0
fi
exit 1
