-- How many v1 rows a conversion reads, archived ones included.
SELECT (SELECT count(*) FROM pggit.history) + (SELECT count(*) FROM pggit.history_archive);
