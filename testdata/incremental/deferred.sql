-- Triggers a change deferred to its COMMIT, which make objects (replay.c, fire_deferred).
-- app.enqueue() sets app.suffix for its transaction only (set_config(..., true), as SET LOCAL
-- does) and queues a row whose deferred constraint trigger creates a table named with that
-- setting when the change commits. The replay gate resets the change's settings before the
-- COMMIT: fired there, the trigger made app.orders instead of app.orders_made, and left it
-- for the next change to take. Each SELECT below is one change (its marker table is the DDL
-- the v1 history records it by).
CREATE SCHEMA app;
CREATE TABLE app.queue (name text NOT NULL);
CREATE FUNCTION app.on_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('CREATE TABLE app.%I (id int)', NEW.name || current_setting('app.suffix'));
	RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER queue_made AFTER INSERT ON app.queue
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.on_queue();
CREATE FUNCTION app.enqueue(n text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('app.suffix', '_made', true);
	INSERT INTO app.queue VALUES (n);
	EXECUTE format('CREATE TABLE app.%I (id int)', n || '_marker');
END $$;
SELECT app.enqueue('orders');
SELECT app.enqueue('items');
CREATE VIEW app.made AS SELECT id FROM app.orders_made UNION ALL SELECT id FROM app.items_made;
