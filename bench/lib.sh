# shellcheck shell=bash
# bench/lib.sh: loading a synthetic history (bench/synth_tenants.py) into a v1 fixture
# database. Source after tests/harness/pg.sh and pg_start.

# bench_load_copy DB DIR: pggit.history rows straight from DIR/history.copy, without the
# fixture's event triggers (fast for 100,000 changes). One pggit.objects row (id 1) stands
# for every object; ddlsnap reads only history's sql_executed, created_by, created_at,
# id and change_description.
bench_load_copy()
{
	local db="$1" dir="$2"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
INSERT INTO pggit.objects (id, object_type, schema_name, object_name)
VALUES (1, 'SCHEMA', NULL, 'bench synthetic history');
SELECT setval('pggit.objects_id_seq', 1);
\\copy pggit.history (object_id, change_type, change_description, sql_executed, created_at, created_by) FROM '$dir/history.copy'
ANALYZE pggit.history;
SQL
}

# bench_load_psql DB DIR: DIR/history.sql through psql; the fixture's event triggers
# record pggit.history as pgGit v1 would (one to three rows per change).
bench_load_psql()
{
	v1_load "$1" "$2/history.sql"
}

# bench_groups DB: what ddlsnap replays, one line per change group (history.h): the
# distinct (created_at, created_by, sql_executed) runs in (created_at, id) order.
bench_groups()
{
	psql -X -A -t -q -d "$1" -c "
SELECT created_at, created_by, sql_executed
  FROM (SELECT created_at, created_by, sql_executed,
               lag(sql_executed) OVER w IS DISTINCT FROM sql_executed
            OR lag(created_by) OVER w IS DISTINCT FROM created_by
            OR lag(created_at) OVER w IS DISTINCT FROM created_at AS first
          FROM pggit.history WINDOW w AS (ORDER BY created_at, id)) AS g
 WHERE first ORDER BY created_at"
}
