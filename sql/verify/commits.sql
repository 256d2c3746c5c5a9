SELECT g.commit_sha, g.parent_shas::text, g.tree_sha, g.generation, g.history_ids::text,
       o.content
  FROM pggit_v2.commit_graph AS g
  LEFT JOIN pggit_v2.objects AS o ON o.sha = g.commit_sha AND o.type = 'commit'
 ORDER BY g.commit_sha
