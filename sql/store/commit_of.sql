-- The commit that replayed history id $1: its id, tree, generation and
-- time (seconds since the epoch).
SELECT g.commit_sha, g.tree_sha, g.generation,
       floor(extract(epoch FROM g.committed_at))::bigint AS epoch
FROM pggit_v2.commit_graph AS g
WHERE g.history_ids @> ARRAY[$1::bigint]
ORDER BY g.generation DESC
LIMIT 1;
