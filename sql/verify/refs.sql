SELECT r.name, r.target_sha, h.ref_name
  FROM pggit_v2.refs AS r
  LEFT JOIN pggit_v2.head AS h ON h.id = 1
 WHERE r.name = 'refs/heads/main'
