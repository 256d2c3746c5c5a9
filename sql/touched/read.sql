-- Take the objects the changes since the last call touched (the one about
-- to commit too, when the replay connection calls it: functions.sql), and
-- a fingerprint of the event triggers (which fire no event trigger
-- themselves: a change to them shows as a new fingerprint).
--
-- One row: classids and objids as parallel oid[] ("{}" when nothing was
-- touched), everything = true when a command touched no single object
-- (objid 0: GRANT, ALTER DEFAULT PRIVILEGES), and the fingerprint.
WITH taken AS (
    DELETE FROM _ddlsnap.touched
    RETURNING classid, objid
)
SELECT
    coalesce((SELECT array_agg(t.classid ORDER BY t.classid, t.objid)
              FROM (SELECT DISTINCT classid, objid FROM taken WHERE objid <> 0) AS t), '{}')
        AS classids,
    coalesce((SELECT array_agg(t.objid ORDER BY t.classid, t.objid)
              FROM (SELECT DISTINCT classid, objid FROM taken WHERE objid <> 0) AS t), '{}')
        AS objids,
    EXISTS (SELECT FROM taken WHERE objid = 0) AS everything,
    (SELECT coalesce(string_agg(et.oid::text || ':' || et.xmin::text, ',' ORDER BY et.oid), '')
     FROM pg_event_trigger AS et) AS event_triggers;
