-- Operators: binary and prefix operators, overloads of one name, names with
-- '/' and other path-unfriendly characters, commutator and negator pairs
-- (each creates a shell of the other, which the other fills in, so either
-- creation order works), a self-commutator, a commutator in another
-- schema, HASHES, MERGES, RESTRICT and JOIN estimators, a dangling shell
-- (its creator dropped: not captured, as pg_dump leaves it out), an
-- aggregate sorting with a user operator, and comments. Every pair names
-- each other: a pair linked one way only (made by creating the shell's
-- operator without naming the first back) is captured linked both ways,
-- since no creation order rebuilds a one-way link; pg_dump would tell them
-- apart.
CREATE SCHEMA op;
CREATE SCHEMA "Other Ops";

CREATE FUNCTION op.same(a integer, b integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT a = b';
CREATE FUNCTION op.differ(a integer, b integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT a <> b';
CREATE FUNCTION op.repeat(a text, n integer) RETURNS text
    LANGUAGE sql IMMUTABLE AS 'SELECT repeat(a, n)';
CREATE FUNCTION op.repeat(n integer, a text) RETURNS text
    LANGUAGE sql IMMUTABLE AS 'SELECT repeat(a, n)';
CREATE FUNCTION op.half(a numeric, b numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS 'SELECT a / b / 2';
CREATE FUNCTION op.half(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT a / b / 2';
CREATE FUNCTION op.negate(a integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT -a';
CREATE FUNCTION op.bigger(a integer, b integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT a > b';
CREATE FUNCTION op.smaller(a integer, b integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT a < b';

-- a negator pair, each its own commutator, with estimators
CREATE OPERATOR op.=== (
    FUNCTION = op.same, LEFTARG = integer, RIGHTARG = integer,
    COMMUTATOR = OPERATOR(op.===), NEGATOR = OPERATOR(op.!==), HASHES, MERGES,
    RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR op.!== (
    FUNCTION = op.differ, LEFTARG = integer, RIGHTARG = integer,
    COMMUTATOR = OPERATOR(op.!==), NEGATOR = OPERATOR(op.===), RESTRICT = neqsel, JOIN = neqjoinsel);

-- commutators across argument types; the second lives in another schema
CREATE OPERATOR op.** (FUNCTION = op.repeat, LEFTARG = text, RIGHTARG = integer,
    COMMUTATOR = OPERATOR("Other Ops".**));
CREATE OPERATOR "Other Ops".** (FUNCTION = op.repeat, LEFTARG = integer, RIGHTARG = text,
    COMMUTATOR = OPERATOR(op.**));

-- overloads of a name with '/' in it
CREATE OPERATOR op.// (FUNCTION = op.half, LEFTARG = numeric, RIGHTARG = numeric);
CREATE OPERATOR op.// (FUNCTION = op.half, LEFTARG = integer, RIGHTARG = integer);

-- a prefix operator
CREATE OPERATOR op.~~~ (FUNCTION = op.negate, RIGHTARG = integer);

-- a pair of ordering operators, one a commutator of the other
CREATE OPERATOR op.>>> (FUNCTION = op.bigger, LEFTARG = integer, RIGHTARG = integer,
    COMMUTATOR = OPERATOR(op.<<<), NEGATOR = OPERATOR(op.<<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR op.<<< (FUNCTION = op.smaller, LEFTARG = integer, RIGHTARG = integer,
    COMMUTATOR = OPERATOR(op.>>>), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);

-- <<= above stays a shell: never captured. So does the shell left by a
-- dropped operator.
CREATE OPERATOR op.@@@ (FUNCTION = op.same, LEFTARG = integer, RIGHTARG = integer,
    COMMUTATOR = OPERATOR(op.@@@@));
DROP OPERATOR op.@@@ (integer, integer);

-- an unqualified NEGATOR is made in the creation schema (public here), not
-- in the operator's: the captured text names it qualified
CREATE OPERATOR op.#= (FUNCTION = op.same, LEFTARG = integer, RIGHTARG = integer,
    NEGATOR = #<>);

CREATE AGGREGATE op.largest(integer) (SFUNC = int4larger, STYPE = integer,
    SORTOP = OPERATOR(op.>>>));

COMMENT ON OPERATOR op.=== (integer, integer) IS 'the same';
COMMENT ON OPERATOR op.~~~ (NONE, integer) IS 'negates';

-- operators on user types: an enum and a composite type
CREATE TYPE op.level AS ENUM ('low', 'mid', 'high');
CREATE TYPE op.vec AS (x double precision, y double precision);
CREATE FUNCTION op.vec_add(a op.vec, b op.vec) RETURNS op.vec
    LANGUAGE sql IMMUTABLE AS 'SELECT ROW(a.x + b.x, a.y + b.y)::op.vec';
CREATE FUNCTION op.level_up(l op.level) RETURNS op.level
    LANGUAGE sql IMMUTABLE AS $$SELECT CASE l WHEN 'low' THEN 'mid' ELSE 'high' END::op.level$$;
CREATE OPERATOR op.+ (FUNCTION = op.vec_add, LEFTARG = op.vec, RIGHTARG = op.vec,
    COMMUTATOR = OPERATOR(op.+));
CREATE OPERATOR op.^^ (FUNCTION = op.level_up, RIGHTARG = op.level);
