#!/usr/bin/env bash
# Incremental capture against full capture: histories whose changes reach beyond the object
# they name (renames seen by views, functions and foreign keys, drops of parts whose table the
# catalogs no longer know, cascades, schema renames, GRANTs event triggers cannot name) are
# converted one change per batch under --paranoid: after every change the snapshot kept
# incrementally must equal a full capture of the shadow, or the run fails naming the object.
# Every fixture of testdata/kinds/ is converted the same way, as a history recording each
# statement.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/pg.sh"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"

pg_start
work="$PG_HARNESS_DIR/work"
mkdir -p "$work"

# paranoid NAME FILE: load FILE as a complete history into NAME, convert it change by change
# under --paranoid in a kept shadow; sets $out.
paranoid()
{
	local name="$1" file="$2"
	v1_createdb "$name" --complete >/dev/null
	v1_load "$name" "$file" >/dev/null 2>&1 || fail "$name: loading $file"
	createdb "${name}_shadow"
	createdb "${name}_target"
	run_ddlsnap "$work/$name.out" convert --source "dbname=$name" --target "dbname=${name}_target" \
		--shadow "dbname=${name}_shadow" --batch-size 1 --paranoid
	out="$(cat "$work/$name.out")"
	assert_ne 3 "$rc" "$name: convert did not fail ($out)"
	assert_not_contains "$out" "paranoid:" "$name: every change's incremental snapshot equals a full capture"
}

repo="$(cd -- "$here/../.." && pwd -P)"
paranoid dependencies "$repo/testdata/incremental/dependencies.sql"
assert_eq 0 "$rc" "dependencies: converted without a failed change ($out)"
assert_contains "$out" "0 failed" "dependencies: no change failed"
scoped="$(sed -n 's/.*convert: \([0-9]*\) changes captured incrementally, \([0-9]*\) whole.*/\1/p' <<<"$out")"
whole="$(sed -n 's/.*convert: \([0-9]*\) changes captured incrementally, \([0-9]*\) whole.*/\2/p' <<<"$out")"
# The first change, the GRANT, the ALTER DEFAULT PRIVILEGES and the REVOKE are captured whole;
# the others are scoped.
assert_eq 4 "$whole" "dependencies: changes captured whole"
assert_eq 1 "$((scoped > 10 * whole))" "dependencies: most changes captured incrementally ($scoped)"
dump_schema dependencies >"$work/dependencies.source.dump"
dump_schema dependencies_shadow >"$work/dependencies.shadow.dump"
assert_eq "" "$(diff "$work/dependencies.source.dump" "$work/dependencies.shadow.dump")" \
	"dependencies: pg_dump of the shadow equals pg_dump of the source"

# Kinds that first appear after many table changes, and scopes mixing kinds: the comments and
# privileges query of a scoped capture has only the branches its kinds need (attach.c).
paranoid late_kinds "$repo/testdata/incremental/late_kinds.sql"
assert_eq 0 "$rc" "late_kinds: converted without a failed change ($out)"
assert_contains "$out" "0 failed" "late_kinds: no change failed"
scoped="$(sed -n 's/.*convert: \([0-9]*\) changes captured incrementally.*/\1/p' <<<"$out")"
assert_eq 1 "$((scoped > 50))" "late_kinds: the changes are captured incrementally ($scoped)"

# Schemas added, renamed and dropped, also by changes captured whole: the tracked schemas are
# read again only when a scope holds a schema or an extension, or after a whole capture.
paranoid schemas "$repo/testdata/incremental/schemas.sql"
assert_eq 0 "$rc" "schemas: converted without a failed change ($out)"
assert_contains "$out" "0 failed" "schemas: no change failed"

for f in "$repo"/testdata/kinds/*.sql; do
	name="kind_$(basename "$f" .sql)"
	paranoid "$name" "$f"
done
finish
