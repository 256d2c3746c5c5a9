-- Casts: WITH FUNCTION (a function of another schema with a quoted name,
-- and one taking the typmod and explicit flag), WITH INOUT, WITHOUT
-- FUNCTION, each context (explicit, AS ASSIGNMENT, AS IMPLICIT), and a
-- comment. Casts are database-wide: they land under %global/cast/.
-- Between built-in types only, so that the fixture needs no other kind.
CREATE SCHEMA "Cast Funcs";
CREATE FUNCTION "Cast Funcs"."Int To Interval"(integer) RETURNS interval
    LANGUAGE sql IMMUTABLE STRICT AS $$SELECT $1 * interval '1 second'$$;
CREATE FUNCTION "Cast Funcs".bool_to_big(b boolean, typmod integer, explicit boolean)
    RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS 'SELECT b::integer::bigint';

CREATE CAST (integer AS interval) WITH FUNCTION "Cast Funcs"."Int To Interval"(integer)
    AS ASSIGNMENT;
CREATE CAST (boolean AS bigint) WITH FUNCTION "Cast Funcs".bool_to_big(boolean, integer, boolean);
CREATE CAST (text AS point) WITH INOUT AS IMPLICIT;
CREATE CAST (point AS text) WITH INOUT;
CREATE CAST (date AS integer) WITHOUT FUNCTION;
COMMENT ON CAST (integer AS interval) IS 'seconds';
