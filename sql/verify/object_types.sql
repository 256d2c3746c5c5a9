SELECT sha, type FROM pggit_v2.objects ORDER BY sha
