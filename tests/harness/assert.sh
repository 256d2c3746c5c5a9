# shellcheck shell=bash
#
# tests/harness/assert.sh: small assertions and helpers for the bash
# integration tests. Source after pg.sh. Each failed assertion prints what
# was expected and what came, and the test exits 1 at the end (all
# assertions run, so one run shows every problem).

_assert_failures=0
_assert_count=0

fail()
{
	printf 'FAIL: %s\n' "$*" >&2
	_assert_failures=$((_assert_failures + 1))
}

# assert_eq EXPECTED ACTUAL MESSAGE
assert_eq()
{
	_assert_count=$((_assert_count + 1))
	if [[ "$1" != "$2" ]]; then
		fail "$3: expected [$1], got [$2]"
	fi
}

# assert_ne UNEXPECTED ACTUAL MESSAGE
assert_ne()
{
	_assert_count=$((_assert_count + 1))
	if [[ "$1" == "$2" ]]; then
		fail "$3: did not expect [$1]"
	fi
}

# assert_contains HAYSTACK NEEDLE MESSAGE
assert_contains()
{
	_assert_count=$((_assert_count + 1))
	if [[ "$1" != *"$2"* ]]; then
		fail "$3: [$2] not found in: $1"
	fi
}

# assert_not_contains HAYSTACK NEEDLE MESSAGE
assert_not_contains()
{
	_assert_count=$((_assert_count + 1))
	if [[ "$1" == *"$2"* ]]; then
		fail "$3: [$2] unexpectedly found"
	fi
}

# q DB SQL: one psql query, unaligned, tuples only
q()
{
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# gitc DIR ARGS...: git on a bare repository
gitc()
{
	git --git-dir="$1" "${@:2}"
}

# run_ddlsnap OUTFILE ARGS...: run the binary, keep stderr+stdout in OUTFILE,
# set $rc to its exit status.
run_ddlsnap()
{
	local out="$1"
	shift
	set +e
	"$DDLSNAP" "$@" >"$out" 2>&1
	rc=$?
	set -e
}

finish()
{
	if ((_assert_failures > 0)); then
		printf '%d of %d assertions failed\n' "$_assert_failures" "$_assert_count" >&2
		exit 1
	fi
	printf 'all %d assertions passed\n' "$_assert_count"
	exit 0
}

# dump_schema DB: pg_dump --schema-only of DB without what must differ
# between a database where history ran and one where ddlsnap replayed it:
# pgGit's own schemas and event triggers (they record history, they are not
# part of it), the v2 store, and pg_dump's per-run \restrict keys.
dump_schema()
{
	pg_dump --schema-only --no-owner -N pggit -N pggit_v2 -N pggit_audit -d "$1" |
		grep -Ev '^\\(un)?restrict ' |
		awk 'BEGIN { RS = ""; ORS = "\n\n" } !(/EVENT TRIGGER/ && /pggit/) { print }'
}
