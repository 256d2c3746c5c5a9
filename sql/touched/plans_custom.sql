-- Custom plans again, for a full capture (see plans_generic.sql).
SELECT pg_catalog.set_config('plan_cache_mode', 'auto', false);
