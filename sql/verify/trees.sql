-- Trees of the store by id (one for a diff, or the next level of many diffs
-- read ahead), bodies in binary (raw SHA bytes). $1: text[] of their shas.
SELECT sha, content FROM pggit_v2.objects WHERE sha = ANY ($1::text[]) AND type = 'tree'
