-- After a capture run in a thread: the connection's own lock_timeout again
-- (behind_start.sql).
RESET lock_timeout;
