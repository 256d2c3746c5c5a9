-- One conversion per target: a session-level advisory lock on the key
-- (1684302963 = 'ddls' in ASCII, 1 = convert), held until the converter's
-- connection closes, so a killed run releases it too. holder names the
-- backend of the run that has it.
SELECT pg_try_advisory_lock(1684302963, 1) AS locked,
       (SELECT l.pid
        FROM pg_locks AS l
        WHERE l.locktype = 'advisory'
            AND l.database = (SELECT d.oid FROM pg_database AS d WHERE d.datname = current_database())
            AND l.classid = 1684302963::oid
            AND l.objid = 1::oid
            AND l.objsubid = 2
            AND l.granted
            AND l.pid <> pg_backend_pid()
        LIMIT 1) AS holder;
