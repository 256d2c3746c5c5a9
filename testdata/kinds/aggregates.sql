-- Aggregates: every CREATE AGGREGATE option, ordered-set and hypothetical
-- aggregates, an aggregate of no arguments, overloads, VARIADIC and
-- polymorphic arguments, argument names, state functions of another
-- (quoted) schema whose names are overloaded, INITCOND with quotes and
-- backslashes, comments and grants (GRANT takes the argument types alone).
DO $$ BEGIN CREATE ROLE ddlsnap_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA ag;
CREATE SCHEMA "Agg Funcs";

-- overloaded state functions in a schema whose name needs quotes
CREATE FUNCTION "Agg Funcs".step(s integer, v integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT s + v';
CREATE FUNCTION "Agg Funcs".step(s bigint, v bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS 'SELECT s + v';
CREATE FUNCTION "Agg Funcs".unstep(s bigint, v bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS 'SELECT s - v';
CREATE FUNCTION "Agg Funcs".finish(s bigint) RETURNS text
    LANGUAGE sql IMMUTABLE AS 'SELECT s::text';
CREATE FUNCTION "Agg Funcs".finish_extra(s bigint, v bigint) RETURNS text
    LANGUAGE sql IMMUTABLE AS 'SELECT s::text';
CREATE FUNCTION "Agg Funcs".cat(s text, v text) RETURNS text
    LANGUAGE sql IMMUTABLE AS 'SELECT s || v';

-- overloads of one name
CREATE AGGREGATE ag.total(integer) (SFUNC = "Agg Funcs".step, STYPE = integer);
CREATE AGGREGATE ag.total(bigint) (
    SFUNC = "Agg Funcs".step, STYPE = bigint, SSPACE = 16, INITCOND = '0',
    FINALFUNC = "Agg Funcs".finish, FINALFUNC_MODIFY = SHAREABLE,
    COMBINEFUNC = "Agg Funcs".step, PARALLEL = SAFE);

-- moving-aggregate mode, with a final function taking the extra arguments
CREATE AGGREGATE ag.running(v bigint) (
    SFUNC = "Agg Funcs".step, STYPE = bigint, INITCOND = '0',
    FINALFUNC = "Agg Funcs".finish_extra, FINALFUNC_EXTRA,
    MSFUNC = "Agg Funcs".step, MINVFUNC = "Agg Funcs".unstep, MSTYPE = bigint,
    MSSPACE = 8, MFINALFUNC = "Agg Funcs".finish_extra, MFINALFUNC_EXTRA,
    MFINALFUNC_MODIFY = READ_WRITE, MINITCOND = '100', PARALLEL = RESTRICTED);

-- internal state with serialization, as avg(numeric) does
CREATE AGGREGATE ag.mean(numeric) (
    SFUNC = numeric_avg_accum, STYPE = internal, FINALFUNC = numeric_avg,
    COMBINEFUNC = numeric_avg_combine, SERIALFUNC = numeric_avg_serialize,
    DESERIALFUNC = numeric_avg_deserialize, PARALLEL = SAFE);

-- a sort operator, as max() has
CREATE AGGREGATE ag.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);

-- no arguments; an INITCOND that needs quoting
CREATE AGGREGATE ag.tally(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE AGGREGATE ag.joined(text) (
    SFUNC = "Agg Funcs".cat, STYPE = text, INITCOND = 'it''s a \ start: ');

-- polymorphic and VARIADIC arguments
CREATE AGGREGATE ag.collect(anycompatible) (
    SFUNC = array_append, STYPE = anycompatiblearray, INITCOND = '{}');
CREATE AGGREGATE ag.concat_all(VARIADIC integer[]) (SFUNC = array_cat, STYPE = integer[]);

-- ordered-set aggregates: the default FINALFUNC_MODIFY is READ_WRITE here
CREATE AGGREGATE ag.pct(fraction double precision ORDER BY anyelement) (
    SFUNC = ordered_set_transition, STYPE = internal,
    FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE AGGREGATE ag.pct_ro(double precision ORDER BY anyelement) (
    SFUNC = ordered_set_transition, STYPE = internal,
    FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA, FINALFUNC_MODIFY = READ_ONLY);
CREATE AGGREGATE ag.most_common(ORDER BY anyelement) (
    SFUNC = ordered_set_transition, STYPE = internal,
    FINALFUNC = mode_final, FINALFUNC_EXTRA);
CREATE AGGREGATE ag.my_rank(VARIADIC "any" ORDER BY VARIADIC "any") (
    SFUNC = ordered_set_transition_multi, STYPE = internal,
    FINALFUNC = rank_final, FINALFUNC_EXTRA, HYPOTHETICAL);

COMMENT ON AGGREGATE ag.tally(*) IS 'counts rows';
COMMENT ON AGGREGATE ag.pct(double precision ORDER BY anyelement) IS 'a percentile';
COMMENT ON AGGREGATE ag.total(bigint) IS 'the big one';
REVOKE EXECUTE ON FUNCTION ag.pct(double precision, anyelement) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ag.pct(double precision, anyelement) TO ddlsnap_reader;
REVOKE EXECUTE ON FUNCTION ag.tally() FROM PUBLIC;
