-- The replay connection's search_path, as history's SET search_path left it.
SELECT current_setting('search_path');
