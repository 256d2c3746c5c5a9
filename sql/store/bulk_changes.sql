-- Audit rows from the rows s.
INSERT INTO pggit_audit.changes
    (commit_sha, object_schema, object_name, object_type, object_path, change_type,
     old_definition, new_definition, author, committed_at, commit_message)
SELECT s.commit_sha, s.object_schema, s.object_name, s.object_type, s.object_path,
       s.change_type, s.old_definition, s.new_definition, s.author,
       to_timestamp(s.epoch::bigint), s.commit_message
FROM s
ON CONFLICT (commit_sha, object_path) DO NOTHING
