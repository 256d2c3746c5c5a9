SELECT id FROM pggit.history ORDER BY id
