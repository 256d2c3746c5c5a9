-- Tree entries from the rows s (after their objects: both ends are foreign keys).
INSERT INTO pggit_v2.tree_entries (tree_sha, path, mode, object_sha)
SELECT s.tree_sha, s.path, s.mode, s.object_sha
FROM s
ON CONFLICT (tree_sha, path) DO NOTHING
