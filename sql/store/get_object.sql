-- One object of the store by id: its type and body (bytea, read in binary).
SELECT o.type, o.content
FROM pggit_v2.objects AS o
WHERE o.sha = $1;
