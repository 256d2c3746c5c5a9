SELECT id FROM pggit.history
UNION ALL
SELECT id FROM pggit.history_archive
ORDER BY 1
