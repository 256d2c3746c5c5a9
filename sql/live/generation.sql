-- The generation of a stored commit (1 + its parents' maximum).
SELECT c.generation
FROM pggit_v2.commit_graph AS c
WHERE c.commit_sha = $1;
