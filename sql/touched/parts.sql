-- Every part of a relation or domain of the database and the object whose
-- blob holds it (see scope.sql, whose "part" rows these are), for the
-- holders incremental capture remembers after a full capture; and, as
-- "child", every partition and inheritance child with its parent.
SELECT 'part' AS kind, i.indexrelid AS oid, 'pg_class'::regclass::oid AS holder_classid,
    i.indrelid AS holder_oid
FROM pg_index AS i
WHERE i.indexrelid >= 16384
UNION ALL
SELECT 'part', d.objid, 'pg_class'::regclass, d.refobjid
FROM pg_depend AS d
WHERE d.classid = 'pg_class'::regclass
    AND d.refclassid = 'pg_class'::regclass
    AND d.refobjsubid > 0
    AND d.deptype IN ('a', 'i')
    AND d.objid >= 16384
UNION ALL
SELECT 'part', k.oid,
    CASE WHEN k.conrelid <> 0 THEN 'pg_class'::regclass ELSE 'pg_type'::regclass END,
    CASE WHEN k.conrelid <> 0 THEN k.conrelid ELSE k.contypid END
FROM pg_constraint AS k
WHERE k.oid >= 16384
UNION ALL
SELECT 'part', tg.oid, 'pg_class'::regclass, tg.tgrelid FROM pg_trigger AS tg WHERE tg.oid >= 16384
UNION ALL
SELECT 'part', po.oid, 'pg_class'::regclass, po.polrelid FROM pg_policy AS po
UNION ALL
SELECT 'part', rw.oid, 'pg_class'::regclass, rw.ev_class FROM pg_rewrite AS rw WHERE rw.oid >= 16384
UNION ALL
SELECT 'part', ad.oid, 'pg_class'::regclass, ad.adrelid FROM pg_attrdef AS ad WHERE ad.oid >= 16384
UNION ALL
SELECT 'part', ty.typrelid, 'pg_type'::regclass, ty.oid
FROM pg_type AS ty
JOIN pg_class AS c ON c.oid = ty.typrelid
WHERE c.relkind = 'c' AND ty.oid >= 16384
UNION ALL
SELECT 'part', pr.oid, 'pg_publication'::regclass, pr.prpubid FROM pg_publication_rel AS pr
UNION ALL
SELECT 'part', pn.oid, 'pg_publication'::regclass, pn.pnpubid FROM pg_publication_namespace AS pn
UNION ALL
SELECT 'child', i.inhrelid, 'pg_class'::regclass, i.inhparent
FROM pg_inherits AS i;
