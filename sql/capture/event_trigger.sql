-- Event triggers (database-wide). $1, the tracked schemas, is unused (an
-- event trigger belongs to no schema) but typed, as PostgreSQL requires of
-- every parameter it is given.
--
-- Left out: pgGit's own (their function lives in pggit, pggit_v2 or
-- pggit_audit; pg_dump would dump them) and extension members. The tags
-- keep the order of the catalog's array, which is the order they were
-- written in: PostgreSQL does not sort them and pg_dump prints them as
-- stored, so sorting them here would make a checkout differ from its source.
SELECT
    et.oid AS evt_oid,
    et.evtname AS evt_name,
    quote_ident(et.evtname) AS quoted_name,
    et.evtevent AS event,
    (
        SELECT string_agg(quote_literal(t.tag), ', ' ORDER BY t.ord)
        FROM unnest(et.evttags) WITH ORDINALITY AS t (tag, ord)
    ) AS tags,
    format('%I.%I', n.nspname, p.proname) AS function_name,
    et.evtenabled AS enabled
FROM pg_event_trigger AS et
JOIN pg_proc AS p ON p.oid = et.evtfoid
JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE $1::oid[] IS NOT NULL
    AND n.nspname NOT IN ('pggit', 'pggit_v2', 'pggit_audit', '_ddlsnap')
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_event_trigger'::regclass
            AND d.objid = et.oid
            AND d.deptype = 'e'
    )
ORDER BY et.evtname COLLATE "C";
