-- Typed tables (CREATE TABLE ... OF type): the type gives the columns;
-- the table says only their defaults, NOT NULL and its constraints. One
-- says nothing at all (no parentheses), one is partitioned.
CREATE SCHEMA typed;
CREATE TYPE typed.person AS (id integer, name text, born date);

CREATE TABLE typed.plain OF typed.person;
CREATE TABLE typed.detailed OF typed.person (
    id WITH OPTIONS PRIMARY KEY,
    name WITH OPTIONS NOT NULL DEFAULT 'anonymous',
    CONSTRAINT born_past CHECK (born < '2100-01-01')
);
CREATE TABLE typed.by_year OF typed.person (born NOT NULL) PARTITION BY RANGE (born);
CREATE TABLE typed.by_year_2000 PARTITION OF typed.by_year FOR VALUES FROM ('2000-01-01') TO ('2001-01-01');
