-- Before a span is captured in a thread while the next change replays
-- (incremental.c): that change may hold a lock the capture needs (a view's
-- capture locks the relations it reads), and may wait for one the capture
-- holds. The capture must never be the one that waits long: it gives up
-- (and is read again once no change runs), before PostgreSQL's deadlock
-- check (deadlock_timeout, 1 s) could pick the change instead.
SELECT pg_catalog.set_config('lock_timeout', '100ms', false);
