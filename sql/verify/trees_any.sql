-- Trees of the store by id, several at once (a diff's next level for many
-- commits), bodies in binary (raw SHA bytes). $1: text[] of their shas.
SELECT sha, content FROM pggit_v2.objects WHERE sha = ANY ($1::text[]) AND type = 'tree'
