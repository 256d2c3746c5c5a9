-- The commits a revision ($1) may name in the v2 store, in git's order of
-- precedence (gitrevisions(7)): a full SHA, a ref by its exact name
-- (refs/heads/main), a tag, then a branch by its short name (main), HEAD,
-- and last a unique prefix of at least 4 hex digits of a commit SHA. One
-- row per candidate; the caller takes the lowest rank and refuses a rank
-- that names several commits (an ambiguous prefix).
SELECT c.rank, c.sha, g.tree_sha
FROM (
    SELECT 0 AS rank, commit_sha AS sha
    FROM pggit_v2.commit_graph
    WHERE $1 ~ '^[0-9a-fA-F]{40}$' AND commit_sha = lower($1)
    UNION ALL
    SELECT 1, target_sha FROM pggit_v2.refs WHERE name = $1
    UNION ALL
    SELECT 2, target_sha FROM pggit_v2.refs WHERE name = 'refs/tags/' || $1
    UNION ALL
    SELECT 3, target_sha FROM pggit_v2.refs WHERE name = 'refs/heads/' || $1
    UNION ALL
    SELECT 4, coalesce(h.direct_sha, r.target_sha)
    FROM pggit_v2.head AS h
    LEFT JOIN pggit_v2.refs AS r ON r.name = h.ref_name
    WHERE $1 = 'HEAD'
    UNION ALL
    SELECT 5, commit_sha
    FROM pggit_v2.commit_graph
    WHERE $1 ~ '^[0-9a-fA-F]{4,39}$' AND starts_with(commit_sha, lower($1))
) AS c
LEFT JOIN pggit_v2.commit_graph AS g ON g.commit_sha = c.sha
ORDER BY c.rank, c.sha COLLATE "C"
LIMIT 20
