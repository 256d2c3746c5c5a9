-- Whether CREATE EXTENSION $1 [VERSION $2] needs a superuser: the version
-- asked for (default: the extension's default version) is not trusted and
-- the extension is not installed yet (if it is, the statement runs as
-- written and says so).
SELECT coalesce(bool_or(v.superuser AND NOT v.trusted), false)
    AND NOT EXISTS (SELECT FROM pg_extension AS e WHERE e.extname = $1::text)
FROM pg_available_extension_versions AS v
JOIN pg_available_extensions AS a ON a.name = v.name
WHERE v.name = $1::text
    AND v.version = coalesce($2::text, a.default_version);
