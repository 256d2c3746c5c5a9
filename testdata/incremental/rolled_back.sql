-- What a change sent back by the gate and rolled back did is not remembered (touched.c,
-- ds_touched_keep). The DO block re-points app.owned from app.t1 to app.t2; it meets the
-- change before it (app.t2), so the gate rolls it back and it runs again after that change's
-- capture, where it fails: its sequence, unlike the rest of it, kept the first run's value.
-- app.owned then still belongs to app.t1, and its DROP must read app.t1 again. When the first
-- run's re-pointing was remembered, the DROP read app.t2 and left app.t1's file stale.
CREATE SCHEMA app;
CREATE SEQUENCE app.attempts;
CREATE TABLE app.t1 (id int);
CREATE TABLE app.t2 (id int);
CREATE SEQUENCE app.owned OWNED BY app.t1.id;
ALTER TABLE app.t2 ADD COLUMN note text;
DO $$
BEGIN
	IF nextval('app.attempts') > 1 THEN
		RAISE EXCEPTION 'app.attempts: run a second time';
	END IF;
	ALTER SEQUENCE app.owned OWNED BY app.t2.id;
END $$;
DROP SEQUENCE app.owned;
