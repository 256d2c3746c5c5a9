INSERT INTO pggit_audit.changes
    (commit_sha, object_schema, object_name, object_type, object_path, change_type,
     old_definition, new_definition, author, committed_at, commit_message)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10::bigint), $11)
ON CONFLICT (commit_sha, object_path) DO NOTHING
