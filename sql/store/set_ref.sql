-- Point a branch at a commit, and HEAD at the branch.
WITH ref AS (
    INSERT INTO pggit_v2.refs (name, target_sha, type)
    VALUES ($1, $2, 'branch')
    ON CONFLICT (name) DO UPDATE SET target_sha = EXCLUDED.target_sha
    RETURNING name
)
INSERT INTO pggit_v2.head (id, ref_name, direct_sha)
SELECT 1, name, NULL FROM ref
ON CONFLICT (id) DO UPDATE SET ref_name = EXCLUDED.ref_name, direct_sha = NULL
