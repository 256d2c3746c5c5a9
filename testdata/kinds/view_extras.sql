-- What a view has besides its query: column defaults (used by INSERT
-- through the view), rules (DO INSTEAD / DO ALSO, with a condition),
-- INSTEAD OF triggers (row level, with a WHEN-less and a per-column one),
-- statement triggers on an updatable view, options (security_barrier,
-- security_invoker, check option), comments on the view's columns.
CREATE SCHEMA vx;

CREATE TABLE vx.item (
    id integer PRIMARY KEY,
    name text NOT NULL,
    status text NOT NULL DEFAULT 'new',
    hidden boolean NOT NULL DEFAULT false
);

CREATE FUNCTION vx.item_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO vx.item (id, name) VALUES (NEW.id, NEW.name);
    RETURN NEW;
END
$$;
CREATE FUNCTION vx.noop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL;
END
$$;

-- not updatable (DISTINCT): made writable by a trigger and rules
CREATE VIEW vx.item_names AS SELECT DISTINCT id, name FROM vx.item;
ALTER VIEW vx.item_names ALTER COLUMN name SET DEFAULT 'unnamed';
ALTER VIEW vx.item_names ALTER COLUMN id SET DEFAULT 0;
CREATE TRIGGER item_names_insert INSTEAD OF INSERT ON vx.item_names
    FOR EACH ROW EXECUTE FUNCTION vx.item_view_insert();
CREATE TRIGGER item_names_update INSTEAD OF UPDATE ON vx.item_names
    FOR EACH ROW EXECUTE FUNCTION vx.noop();
CREATE RULE item_names_delete AS ON DELETE TO vx.item_names
    DO INSTEAD DELETE FROM vx.item WHERE id = OLD.id;
COMMENT ON TRIGGER item_names_insert ON vx.item_names IS 'inserts into item';
COMMENT ON COLUMN vx.item_names.name IS 'display name';

-- automatically updatable: defaults, a conditional rule, statement triggers
CREATE VIEW vx.visible_item WITH (security_barrier = true, security_invoker = true) AS
    SELECT id, name, status FROM vx.item WHERE NOT hidden
    WITH LOCAL CHECK OPTION;
ALTER VIEW vx.visible_item ALTER COLUMN status SET DEFAULT 'visible';
CREATE RULE visible_item_log AS ON UPDATE TO vx.visible_item
    WHERE NEW.status <> OLD.status DO ALSO UPDATE vx.item SET hidden = false WHERE id = NEW.id;
CREATE TRIGGER visible_item_statement AFTER INSERT ON vx.visible_item
    FOR EACH STATEMENT EXECUTE FUNCTION vx.noop();
