#!/usr/bin/env bash
#
# tests/harness/with-pg.sh CMD [ARGS...]: run CMD against a throwaway PostgreSQL cluster.
#
# Starts a fresh cluster with pg.sh's pg_start (PGHOST, PGPORT, PGUSER, PGDATABASE and
# PG_HARNESS_DIR are exported to CMD), runs CMD and exits with its status; the server is
# stopped and its directory removed on the way out (kept with PG_HARNESS_KEEP=1).

set -euo pipefail

if (($# < 1)); then
	printf 'usage: %s CMD [ARGS...]\n' "${0##*/}" >&2
	exit 2
fi

# shellcheck source=tests/harness/pg.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/pg.sh"

pg_start
rc=0
"$@" || rc=$?
exit "$rc"
