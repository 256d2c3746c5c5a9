-- Whether the target holds the registry (a conversion ran against it).
SELECT to_regclass('pggit_v2.backfill_runs') IS NOT NULL;
