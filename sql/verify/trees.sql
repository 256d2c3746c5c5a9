-- One tree of the store by id, its body in binary (raw SHA bytes). $1: its sha.
SELECT content FROM pggit_v2.objects WHERE sha = $1 AND type = 'tree'
