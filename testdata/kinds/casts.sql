-- Casts: WITH FUNCTION (a function of another schema with a quoted name,
-- and one taking the typmod and explicit flag), WITH INOUT, WITHOUT
-- FUNCTION, each context (explicit, AS ASSIGNMENT, AS IMPLICIT), and a
-- comment. Casts are database-wide: they land under %global/cast/.
-- Between built-in types, and of user types (an enum, a composite type,
-- an array of the enum).
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

-- casts of user types (and of an array of one)
CREATE SCHEMA cs;
CREATE TYPE cs.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE cs.pair AS (a integer, b integer);
CREATE FUNCTION cs.mood_rank(m cs.mood) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS $$SELECT array_position(enum_range(NULL::cs.mood), m)$$;
CREATE FUNCTION cs.pair_sum(p cs.pair) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT p.a + p.b';
CREATE CAST (cs.mood AS integer) WITH FUNCTION cs.mood_rank(cs.mood) AS IMPLICIT;
CREATE CAST (cs.pair AS bigint) WITH FUNCTION cs.pair_sum(cs.pair);
CREATE CAST (cs.pair AS point) WITH INOUT;
CREATE CAST (cs.mood[] AS text) WITH INOUT AS ASSIGNMENT;
