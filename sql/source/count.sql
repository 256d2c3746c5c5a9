-- How many v1 rows a conversion reads (for progress and the registry);
-- pggit_history_rows: see ds_history_sql.
SELECT count(*) FROM pggit_history_rows AS h;
