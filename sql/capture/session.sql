-- Session settings of the capture connection (one statement, so it can run
-- with PQexecParams like every other query).
--
-- An empty search_path makes PostgreSQL qualify every name it prints, and
-- the other settings fix every text that pg_get_expr() and friends render
-- from constants (dates, intervals, floats, money, bytea), so the captured
-- DDL never depends on the server's or the role's defaults. JIT is off:
-- catalog queries are small, and compiling them costs more than running
-- them (the recursive scope query of incremental capture, estimated high,
-- would be compiled on every change).
-- Generic plans: incremental capture prepares its queries once and runs
-- them after every change; planning them each time cost more than running
-- them.
SELECT
    pg_catalog.set_config('jit', 'off', false),
    pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', false),
    pg_catalog.set_config('search_path', '', false),
    pg_catalog.set_config('DateStyle', 'ISO, YMD', false),
    pg_catalog.set_config('IntervalStyle', 'postgres', false),
    pg_catalog.set_config('TimeZone', 'UTC', false),
    pg_catalog.set_config('extra_float_digits', '3', false),
    pg_catalog.set_config('bytea_output', 'hex', false),
    pg_catalog.set_config('lc_monetary', 'C', false),
    pg_catalog.set_config('quote_all_identifiers', 'off', false),
    pg_catalog.set_config('standard_conforming_strings', 'on', false);
