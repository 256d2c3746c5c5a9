-- Every tree body, read in binary (they hold raw SHA bytes).
SELECT sha, content FROM pggit_v2.objects WHERE type = 'tree' ORDER BY sha
