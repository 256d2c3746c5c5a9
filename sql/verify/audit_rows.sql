-- The audit rows of one commit, in path order (byte order, as the diff is).
SELECT object_path, change_type, old_definition, new_definition
  FROM pggit_audit.changes
 WHERE commit_sha = $1
 ORDER BY object_path COLLATE "C"
