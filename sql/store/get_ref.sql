-- The commit a ref points at, if the ref exists.
SELECT r.target_sha
FROM pggit_v2.refs AS r
WHERE r.name = $1;
