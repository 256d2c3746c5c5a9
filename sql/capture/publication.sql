-- Publications (database-wide). $1: oid[] of the tracked schemas.
--
-- members lists what a publication that is not FOR ALL TABLES publishes,
-- one item per line: its schemas (TABLES IN SCHEMA), then its tables, each
-- sorted by name. Tables are written with ONLY, as pg_dump does, because
-- pg_publication_rel holds every table that was added, inheritance children
-- included: "TABLE parent" would add children that were dropped from the
-- publication since, or that did not inherit yet when it was published.
-- Column lists keep the catalog's order, which is by attribute number; a row
-- filter is pg_get_expr()'s text in parentheses, as the syntax requires.
-- Tables and schemas that are not tracked (pgGit's, extension members) are
-- left out, as pg_dump leaves out those whose definition it does not dump.
--
-- publish and publish_via_partition_root are given only where they differ
-- from the defaults (every action; false).
WITH tracked AS (
    SELECT unnest($1::oid[]) AS oid
),
members AS (
    SELECT
        pn.pnpubid AS pubid,
        1 AS section,
        n.nspname AS sort_schema,
        '' AS sort_name,
        format('TABLES IN SCHEMA %I', n.nspname) AS item
    FROM pg_publication_namespace AS pn
    JOIN pg_namespace AS n ON n.oid = pn.pnnspid
    JOIN tracked AS t ON t.oid = pn.pnnspid
    UNION ALL
    SELECT
        pr.prpubid,
        2,
        n.nspname,
        c.relname,
        format('TABLE ONLY %I.%I', n.nspname, c.relname)
            || coalesce(
                ' (' || (
                    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)
                    FROM unnest(pr.prattrs::int2[]) WITH ORDINALITY AS k (attnum, ord)
                    JOIN pg_attribute AS a ON a.attrelid = pr.prrelid AND a.attnum = k.attnum
                ) || ')',
                '')
            || coalesce(' WHERE (' || pg_get_expr(pr.prqual, pr.prrelid) || ')', '')
    FROM pg_publication_rel AS pr
    JOIN pg_class AS c ON c.oid = pr.prrelid
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    JOIN tracked AS t ON t.oid = c.relnamespace
    WHERE NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_class'::regclass
            AND d.objid = c.oid
            AND d.deptype = 'e'
    )
)
SELECT
    p.oid AS pub_oid,
    p.pubname AS pub_name,
    quote_ident(p.pubname) AS quoted_name,
    p.puballtables AS all_tables,
    (
        SELECT string_agg(m.item, E',\n    '
                          ORDER BY m.section, m.sort_schema COLLATE "C", m.sort_name COLLATE "C")
        FROM members AS m
        WHERE m.pubid = p.oid
    ) AS members,
    nullif(
        concat_ws(', ',
                  CASE WHEN p.pubinsert THEN 'insert' END,
                  CASE WHEN p.pubupdate THEN 'update' END,
                  CASE WHEN p.pubdelete THEN 'delete' END,
                  CASE WHEN p.pubtruncate THEN 'truncate' END),
        'insert, update, delete, truncate'
    ) AS publish,
    p.pubviaroot AS via_root
FROM pg_publication AS p
WHERE NOT EXISTS (
    SELECT
    FROM pg_depend AS d
    WHERE d.classid = 'pg_publication'::regclass
        AND d.objid = p.oid
        AND d.deptype = 'e'
)
ORDER BY p.pubname COLLATE "C";
