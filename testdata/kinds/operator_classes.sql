-- Operator classes and families: a btree class with a user comparison
-- function and a cross-type member (which btree files under the family),
-- a hash class in an explicitly made family of another schema with loose
-- members added by ALTER OPERATOR FAMILY, a DEFAULT class of a type that
-- had none, using a user operator, a GiST class with STORAGE and an
-- ordering operator (GiST files operators under the family), a class left
-- with no member of its own, and comments.
CREATE SCHEMA oc;
CREATE SCHEMA "Op Families";

CREATE FUNCTION oc.rev_cmp(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT CASE WHEN a < b THEN 1 WHEN a > b THEN -1 ELSE 0 END';
CREATE FUNCTION oc.rev_cmp(a integer, b bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT CASE WHEN a < b THEN 1 WHEN a > b THEN -1 ELSE 0 END';
CREATE OPERATOR CLASS oc.rev_ops FOR TYPE integer USING btree AS
    OPERATOR 1 >, OPERATOR 2 >=, OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <,
    OPERATOR 1 > (integer, bigint),
    FUNCTION 1 oc.rev_cmp(integer, integer),
    FUNCTION 1 (integer, bigint) oc.rev_cmp(integer, bigint);

CREATE OPERATOR FAMILY "Op Families".int_hash USING hash;
CREATE OPERATOR CLASS oc.int_hash_ops FOR TYPE integer USING hash FAMILY "Op Families".int_hash AS
    OPERATOR 1 =, FUNCTION 1 hashint4(integer);
ALTER OPERATOR FAMILY "Op Families".int_hash USING hash ADD
    OPERATOR 1 = (bigint, bigint), FUNCTION 1 hashint8(bigint),
    OPERATOR 1 = (integer, bigint);

-- points had no hash class: a DEFAULT one with a user operator
CREATE FUNCTION oc.point_eq(a point, b point) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a[0] = b[0] AND a[1] = b[1]';
CREATE FUNCTION oc.point_hash(p point) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT hashfloat8(p[0]) # hashfloat8(p[1])';
CREATE OPERATOR oc.=== (FUNCTION = oc.point_eq, LEFTARG = point, RIGHTARG = point,
    COMMUTATOR = OPERATOR(oc.===), HASHES);
CREATE OPERATOR CLASS oc.point_hash_ops DEFAULT FOR TYPE point USING hash AS
    OPERATOR 1 oc.===, FUNCTION 1 oc.point_hash(point);

-- GiST, as point_ops: STORAGE box and an ordering operator
CREATE OPERATOR CLASS oc.my_point_ops FOR TYPE point USING gist AS
    OPERATOR 11 >^, OPERATOR 1 <<, OPERATOR 5 >>, OPERATOR 10 <^, OPERATOR 6 ~=,
    OPERATOR 15 <-> (point, point) FOR ORDER BY pg_catalog.float_ops,
    FUNCTION 1 gist_point_consistent(internal, point, smallint, oid, internal),
    FUNCTION 2 gist_box_union(internal, internal),
    FUNCTION 3 gist_point_compress(internal),
    FUNCTION 5 gist_box_penalty(internal, internal, internal),
    FUNCTION 6 gist_box_picksplit(internal, internal),
    FUNCTION 7 gist_box_same(box, box, internal),
    FUNCTION 8 gist_point_distance(internal, point, smallint, oid, internal),
    FUNCTION 9 gist_point_fetch(internal),
    STORAGE box;

-- every member goes to the family: the class keeps none
CREATE OPERATOR CLASS oc.bare_box_ops FOR TYPE box USING gist AS OPERATOR 3 &&;

COMMENT ON OPERATOR CLASS oc.rev_ops USING btree IS 'descending';
COMMENT ON OPERATOR FAMILY "Op Families".int_hash USING hash IS 'integers';

-- indexes using the classes
CREATE TABLE oc.readings (n integer, at point);
CREATE INDEX readings_n_desc_idx ON oc.readings (n oc.rev_ops);
CREATE INDEX readings_at_hash_idx ON oc.readings USING hash (at);
CREATE INDEX readings_at_gist_idx ON oc.readings USING gist (at oc.my_point_ops);

-- a hash class for a composite type, with user functions
CREATE TYPE oc.code AS (prefix text, num integer);
CREATE FUNCTION oc.code_eq(a oc.code, b oc.code) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a.prefix = b.prefix AND a.num = b.num';
CREATE FUNCTION oc.code_hash(c oc.code) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT hashtext(c.prefix) # c.num';
CREATE OPERATOR oc.== (FUNCTION = oc.code_eq, LEFTARG = oc.code, RIGHTARG = oc.code,
    COMMUTATOR = OPERATOR(oc.==), HASHES);
CREATE OPERATOR CLASS oc.code_ops FOR TYPE oc.code USING hash AS
    OPERATOR 1 oc.==, FUNCTION 1 oc.code_hash(oc.code);
