SELECT tree_sha, count(*)::int FROM pggit_v2.tree_entries GROUP BY tree_sha ORDER BY tree_sha
