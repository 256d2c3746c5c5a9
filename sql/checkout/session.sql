-- Session settings of the checkout connection (one statement, so it runs
-- with PQexecParams like every other query). They are the ones the
-- captured DDL assumes, and the ones pg_dump's own scripts set: an empty
-- search_path (every name in a snapshot is qualified, and nothing may
-- resolve to an object of the wrong schema), function bodies not checked
-- at creation (a body may use objects created later), standard strings,
-- UTF-8 text, no timeouts, the default tablespace and heap tables (what a
-- snapshot leaves unsaid must mean PostgreSQL's defaults), and only
-- warnings on the wire (every CREATE would otherwise send notices).
SELECT
    pg_catalog.set_config('search_path', '', false),
    pg_catalog.set_config('check_function_bodies', 'off', false),
    pg_catalog.set_config('client_min_messages', 'warning', false),
    pg_catalog.set_config('client_encoding', 'UTF8', false),
    pg_catalog.set_config('standard_conforming_strings', 'on', false),
    pg_catalog.set_config('xmloption', 'content', false),
    pg_catalog.set_config('statement_timeout', '0', false),
    pg_catalog.set_config('lock_timeout', '0', false),
    pg_catalog.set_config('idle_in_transaction_session_timeout', '0', false),
    pg_catalog.set_config('default_tablespace', '', false),
    pg_catalog.set_config('default_table_access_method', 'heap', false)
