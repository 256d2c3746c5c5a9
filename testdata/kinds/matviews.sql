-- Materialized views: options, column names, indexes
-- (unique, partial, expression, with storage parameters and statistics
-- targets), CLUSTER ON, a materialized view reading another, one left
-- unpopulated (WITH NO DATA is always written: populated or not is data),
-- column settings, comments and grants. Options are written sorted by name
-- (ddlsnap sorts them: PostgreSQL keeps them in the order written, which
-- is no part of the schema), so that pg_dump gives the same text.
DO $$ BEGIN CREATE ROLE ddlsnap_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA mv;
CREATE TABLE mv.sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric(10,2), sold date);

CREATE MATERIALIZED VIEW mv.by_region AS
    SELECT region, sum(amount) AS total, count(*) AS n FROM mv.sales GROUP BY region;
CREATE UNIQUE INDEX by_region_region_idx ON mv.by_region (region);
CREATE INDEX by_region_big_idx ON mv.by_region (total) WITH (fillfactor = 50) WHERE total > 1000;
CREATE INDEX by_region_lower_idx ON mv.by_region (lower(region));
ALTER INDEX mv.by_region_lower_idx ALTER COLUMN 1 SET STATISTICS 300;
ALTER MATERIALIZED VIEW mv.by_region CLUSTER ON by_region_region_idx;
COMMENT ON MATERIALIZED VIEW mv.by_region IS 'totals per region';
COMMENT ON COLUMN mv.by_region.total IS 'sum of amounts';
COMMENT ON INDEX mv.by_region_big_idx IS 'the big ones';
GRANT SELECT ON mv.by_region TO ddlsnap_reader;

-- column names given in the CREATE, options out of order, no data
CREATE MATERIALIZED VIEW mv."Daily Sales" (day, "Amount")
    WITH (autovacuum_enabled = false, fillfactor = 80, toast.autovacuum_enabled = false) AS
    SELECT sold, sum(amount) FROM mv.sales GROUP BY sold
    WITH NO DATA;
ALTER MATERIALIZED VIEW mv."Daily Sales" ALTER COLUMN day SET STATISTICS 200;
ALTER MATERIALIZED VIEW mv."Daily Sales" ALTER COLUMN "Amount" SET STORAGE EXTERNAL;
ALTER MATERIALIZED VIEW mv."Daily Sales" ALTER COLUMN "Amount" SET (n_distinct = 100, n_distinct_inherited = 5);
ALTER MATERIALIZED VIEW mv."Daily Sales" ALTER COLUMN "Amount" SET COMPRESSION pglz;

-- a materialized view reading another (USING another access method is
-- captured too, but access methods are database-wide objects of their own)
CREATE MATERIALIZED VIEW mv.top_regions AS
    SELECT region FROM mv.by_region WHERE total > 10 ORDER BY region;

-- user types in a materialized view, an index with a collation and opclass
CREATE TYPE mv.tier AS ENUM ('bronze', 'silver', 'gold');
CREATE MATERIALIZED VIEW mv.tiers AS
    SELECT region, CASE WHEN sum(amount) > 1000 THEN 'gold' ELSE 'bronze' END::mv.tier AS tier
    FROM mv.sales GROUP BY region;
CREATE INDEX tiers_region_idx ON mv.tiers (region COLLATE "C" text_pattern_ops) INCLUDE (tier);
