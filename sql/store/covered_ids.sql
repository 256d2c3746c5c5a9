-- Every history id the store has already dealt with, sorted, and whether a
-- recorded failure (rather than a commit) covers it: what a rerun does not
-- need to commit again.
SELECT c.id, bool_or(c.failed) AS failed
FROM (
    SELECT unnest(g.history_ids) AS id, false AS failed FROM pggit_v2.commit_graph AS g
    UNION ALL
    SELECT unnest(f.history_ids), true FROM pggit_v2.failed_changes AS f
) AS c
GROUP BY c.id
ORDER BY c.id;
