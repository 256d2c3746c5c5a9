-- Every v1 row id with its place in replay order, by id.
SELECT h.id, row_number() OVER (ORDER BY h.created_at, h.id) AS position
  FROM pggit.history AS h
 ORDER BY h.id
