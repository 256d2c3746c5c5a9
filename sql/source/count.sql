-- How many v1 rows a conversion reads (for progress and the registry).
SELECT count(*) FROM pggit.history;
