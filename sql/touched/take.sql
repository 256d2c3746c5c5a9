-- What the replay gate asks right before a change commits, in one round
-- trip (touched.c): the objects the change touched, and their scope.
--
-- Rows: one from _ddlsnap.take() (event_triggers set, the scope columns
-- NULL), then, unless the change touched everything, one for each object of
-- the scope of what it touched (scope.sql's columns, the take() columns
-- NULL). touched.c writes the run's token in place of @TOKEN@: on the replay
-- connection this runs after RESET ALL, in the same call, which takes no
-- parameters. The holders of dropped parts and the children of touched
-- parents, which only ddlsnap remembers, are widened in a second query.
WITH t AS MATERIALIZED (
    SELECT * FROM _ddlsnap.take('@TOKEN@')
)
SELECT
    t.classids, t.objids, t.everything, t.event_triggers,
    NULL::text AS grp, NULL::oid AS oid, NULL::oid AS holder_classid, NULL::oid AS holder_oid
FROM t
UNION ALL
SELECT NULL, NULL, NULL, NULL, s.grp, s.oid, s.holder_classid, s.holder_oid
FROM t
CROSS JOIN LATERAL _ddlsnap.scope(t.classids, t.objids) AS s
WHERE NOT t.everything;
