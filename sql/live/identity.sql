-- Who and when a snapshot commit is by: the capturing role and the
-- transaction's start, in seconds since the epoch, and the database name
-- for the default message.
SELECT
    current_user AS author,
    floor(extract(epoch FROM transaction_timestamp()))::bigint AS epoch,
    current_database() AS database_name;
