INSERT INTO pggit_v2.commit_graph
    (commit_sha, parent_shas, tree_sha, generation, author, committer,
     authored_at, committed_at, message, history_ids)
VALUES ($1, $2::text[], $3, $4::integer, $5, $5,
        to_timestamp($6::bigint), to_timestamp($6::bigint), $7, $8::bigint[])
ON CONFLICT (commit_sha) DO NOTHING
