INSERT INTO pggit_v2.objects (sha, type, size, content)
VALUES ($1, $2, $3::integer, $4::bytea)
ON CONFLICT (sha) DO NOTHING
