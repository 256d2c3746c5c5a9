#!/usr/bin/env bash
# bench/real/all.sh: run bench/real/run.sh on every history of bench/real/histories.tsv.
#
#   usage: bench/real/all.sh [--fetch] ROOT [NAME...]
#
# ROOT/<name>/ must be a checkout of the history's repository at its commit (only the
# migrations folder is read); --fetch makes one where it is missing (a partial clone with
# sparse checkout of the folder: needs network). Each run's figures go to ROOT/<name>.txt and
# the screen; the files it writes to $OUT (default /tmp/ddlsnap-real/<name>). NAMEs limit the
# run to those histories. Exit 1 when any run does not meet the bar (see run.sh).
set -uo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
fetch=0
if [[ "${1:-}" == --fetch ]]; then
	fetch=1
	shift
fi
if [[ $# -lt 1 ]]; then
	echo "usage: $0 [--fetch] ROOT [NAME...]" >&2
	exit 2
fi
root="$1"
shift
mkdir -p -- "$root"
want=" $* "
status=0
while IFS=$'\t' read -r name url commit folder tool base; do
	[[ -z "$name" || "$name" == \#* ]] && continue
	[[ "$want" == "  " || "$want" == *" $name "* ]] || continue
	co="$root/$name"
	if [[ ! -d "$co/$folder" ]]; then
		if ((!fetch)); then
			echo "all.sh: $co/$folder missing (use --fetch, or clone $url at $commit)" >&2
			status=1
			continue
		fi
		rm -rf -- "$co"
		if ! { git clone -q --filter=blob:none --no-checkout "$url" "$co" &&
			git -C "$co" sparse-checkout set --no-cone "/$folder/" &&
			git -C "$co" checkout -q "$commit"; }; then
			echo "all.sh: could not fetch $name" >&2
			status=1
			continue
		fi
	fi
	have="$(git -C "$co" rev-parse -q --verify HEAD 2>/dev/null || echo unknown)"
	if [[ "$have" != "$commit" ]]; then
		echo "all.sh: note: $co is at $have, histories.tsv says $commit" >&2
	fi
	opts=()
	[[ -n "${base:-}" ]] && opts=(--lossy-baseline "$here/baselines/$base")
	OUT="${OUT_ROOT:-/tmp/ddlsnap-real}/$name" "$here/run.sh" "${opts[@]}" "$name" "$co/$folder" "$tool" </dev/null \
		2>&1 | tee "$root/$name.txt"
	((PIPESTATUS[0] == 0)) || status=1
done <"$here/histories.tsv"
exit "$status"
