-- Which v1 history tables the source has.
SELECT to_regclass('pggit.history') IS NOT NULL AS has_history,
       to_regclass('pggit.history_archive') IS NOT NULL AS has_archive
