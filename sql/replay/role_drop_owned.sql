-- Run in the shadow before it is dropped, as the caller: what the replay
-- role ($1) owns there goes to the caller, its privileges go away.
SELECT stmt
FROM unnest(ARRAY[
    format('REASSIGN OWNED BY %I TO CURRENT_USER', $1::text),
    format('DROP OWNED BY %I', $1::text)
]) WITH ORDINALITY AS s (stmt, n)
ORDER BY n;
