-- Text search dictionaries of the tracked schemas, extension members
-- excepted. $1: oid[] of the tracked schemas.
-- $2: oid[] of the objects to read (incremental capture), NULL for all.
--
-- PostgreSQL keeps a dictionary's options as one text, in the order they
-- were written ("stopwords = 'english', accept = 'false'": names quoted
-- where needed, values always quoted literals). options splits it and
-- sorts the options by name, one a line: a template takes each option once,
-- so their order says nothing. Should the text ever not split back into
-- itself, it is kept as it is.
SELECT
    d.oid AS dictid,
    n.nspname AS schema_name,
    d.dictname AS dictionary_name,
    format('%I.%I', n.nspname, d.dictname) AS qualified_name,
    format('%I.%I', tn.nspname, t.tmplname) AS template,
    (
        SELECT CASE
            WHEN string_agg(o.opt[1], ', ' ORDER BY o.ord) = d.dictinitoption
                THEN string_agg(o.opt[2] || ' = ' || o.opt[3], E',\n    '
                                ORDER BY o.opt[2] COLLATE "C", o.ord)
            ELSE d.dictinitoption
        END
        FROM regexp_matches(
            d.dictinitoption,
            '(("(?:[^"]|"")*"|[^\s=,"]+) = (E?''(?:[^'']|'''')*''))',
            'g'
        ) WITH ORDINALITY AS o (opt, ord)
    ) AS options
FROM pg_ts_dict AS d
JOIN pg_namespace AS n ON n.oid = d.dictnamespace
JOIN pg_ts_template AS t ON t.oid = d.dicttemplate
JOIN pg_namespace AS tn ON tn.oid = t.tmplnamespace
WHERE d.dictnamespace = ANY ($1::oid[])
    AND ($2::oid[] IS NULL OR d.oid = ANY ($2::oid[]))
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS dep
        WHERE dep.classid = 'pg_ts_dict'::regclass
            AND dep.objid = d.oid
            AND dep.deptype = 'e'
    )
ORDER BY n.nspname COLLATE "C", d.dictname COLLATE "C";
