-- Indexes: unique, partial, expression, INCLUDE, NULLS NOT DISTINCT,
-- operator classes, collations, sort orders, several access methods,
-- storage parameters, statistics targets of expression columns, CLUSTER
-- ON, REPLICA IDENTITY USING INDEX, comments on indexes. Storage parameters
-- are written sorted by name, the order in which ddlsnap writes them.
CREATE SCHEMA idx;

CREATE TABLE idx.doc (
    id integer NOT NULL,
    title text NOT NULL,
    body text,
    tags text[],
    created timestamptz NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    size integer,
    pos point
);
CREATE UNIQUE INDEX doc_id_key ON idx.doc (id);
CREATE UNIQUE INDEX doc_title_key ON idx.doc (title) NULLS NOT DISTINCT WHERE NOT deleted;
CREATE INDEX doc_lower_title_idx ON idx.doc (lower(title) text_pattern_ops, (size * 2) DESC NULLS LAST);
ALTER INDEX idx.doc_lower_title_idx ALTER COLUMN 1 SET STATISTICS 300;
ALTER INDEX idx.doc_lower_title_idx ALTER COLUMN 2 SET STATISTICS 50;
CREATE INDEX doc_created_idx ON idx.doc (created DESC) INCLUDE (title, size) WITH (deduplicate_items = off, fillfactor = 70);
CREATE INDEX doc_title_c_idx ON idx.doc (title COLLATE "C");
CREATE INDEX doc_tags_idx ON idx.doc USING gin (tags) WITH (fastupdate = off);
CREATE INDEX doc_body_hash_idx ON idx.doc USING hash (body);
CREATE INDEX doc_created_brin_idx ON idx.doc USING brin (created) WITH (pages_per_range = 32);
CREATE INDEX doc_pos_idx ON idx.doc USING gist (pos);
CREATE INDEX "Doc Size" ON idx.doc (size) WHERE size > 100;
ALTER TABLE idx.doc CLUSTER ON doc_created_idx;
ALTER TABLE idx.doc REPLICA IDENTITY USING INDEX doc_id_key;
COMMENT ON INDEX idx.doc_tags_idx IS 'tag search';

-- the replica identity and clustering index back a constraint
CREATE TABLE idx.pk_table (a integer PRIMARY KEY, b integer);
ALTER TABLE idx.pk_table CLUSTER ON pk_table_pkey;
ALTER TABLE idx.pk_table REPLICA IDENTITY USING INDEX pk_table_pkey;
