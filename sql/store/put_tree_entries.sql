-- All entries of one tree at once: $2, $3 and $4 are parallel arrays.
INSERT INTO pggit_v2.tree_entries (tree_sha, path, mode, object_sha)
SELECT $1, e.path, e.mode, e.object_sha
  FROM unnest($2::text[], $3::text[], $4::text[]) AS e (path, mode, object_sha)
ON CONFLICT (tree_sha, path) DO NOTHING
