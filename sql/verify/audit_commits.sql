SELECT DISTINCT commit_sha FROM pggit_audit.changes ORDER BY 1
