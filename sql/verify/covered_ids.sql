-- Every v1 row id the store accounts for, once per commit or failure that
-- claims it (so a duplicate shows up twice).
SELECT id FROM (SELECT unnest(history_ids) AS id FROM pggit_v2.commit_graph
                UNION ALL
                SELECT unnest(history_ids) FROM pggit_v2.failed_changes) AS c
 ORDER BY id
