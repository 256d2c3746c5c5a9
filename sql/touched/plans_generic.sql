-- Incremental capture's prepared queries run after every change: generic
-- plans, made once, instead of planning each run (planning the catalog
-- queries cost more than running them). Full captures go back to custom
-- plans (plans_custom.sql): over a whole database, a generic plan of a kind
-- query scans where a custom one uses what it knows of $1 and $2 (ddlsnap
-- snapshot of a 22,000-object database took 90 s with generic plans, 19 s
-- without).
SELECT pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', false);
