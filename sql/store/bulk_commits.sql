-- Commits from the rows s: parents and history ids are array literals, the
-- time seconds since the epoch (author and committer are the same).
INSERT INTO pggit_v2.commit_graph
    (commit_sha, parent_shas, tree_sha, generation, author, committer,
     authored_at, committed_at, message, history_ids)
SELECT s.commit_sha, s.parent_shas::text[], s.tree_sha, s.generation::integer, s.author,
       s.author, to_timestamp(s.epoch::bigint), to_timestamp(s.epoch::bigint), s.message,
       s.history_ids::bigint[]
FROM s
ON CONFLICT (commit_sha) DO NOTHING
