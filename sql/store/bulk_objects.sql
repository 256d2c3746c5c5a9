-- Objects from the rows s (see stage.sql; store.c supplies s).
INSERT INTO pggit_v2.objects (sha, type, size, content)
SELECT s.sha, s.type, s.size::integer, s.content
FROM s
ON CONFLICT (sha) DO NOTHING
