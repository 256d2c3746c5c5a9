-- Every object of the store, to bring a git repository level with it.
DECLARE ddlsnap_objects NO SCROLL CURSOR FOR
SELECT o.sha, o.type, o.content
FROM pggit_v2.objects AS o
ORDER BY o.sha;
