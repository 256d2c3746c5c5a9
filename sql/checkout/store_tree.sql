-- Every blob of the snapshot tree $1: its full path (components joined by
-- '/'), its SHA and its content, hex-encoded so that the text protocol
-- carries any byte. The walk follows tree_entries down from the root tree;
-- an empty tree has no entries and gives no rows. objects.type is returned
-- so the caller can refuse an entry whose object is missing or not a blob.
WITH RECURSIVE walk (path, mode, sha, depth) AS (
    SELECT e.path, e.mode, e.object_sha, 1
    FROM pggit_v2.tree_entries AS e
    WHERE e.tree_sha = $1
    UNION ALL
    SELECT w.path || '/' || e.path, e.mode, e.object_sha, w.depth + 1
    FROM walk AS w
    JOIN pggit_v2.tree_entries AS e ON e.tree_sha = w.sha
    WHERE w.mode = '40000' AND w.depth < 16
)
SELECT w.path, w.sha, o.type, encode(o.content, 'hex') AS content
FROM walk AS w
LEFT JOIN pggit_v2.objects AS o ON o.sha = w.sha
WHERE w.mode = '100644'
ORDER BY w.path COLLATE "C"
