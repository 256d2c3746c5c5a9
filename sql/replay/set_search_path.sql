-- Set the search_path ($1) for the rest of the transaction.
SELECT set_config('search_path', $1::text, true);
