SELECT content FROM pggit_v2.objects WHERE sha = $1 AND type = 'blob'
