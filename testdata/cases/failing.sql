-- testdata/cases/failing.sql: a lossy history where one change cannot be replayed.
--
-- Change 2 is a lone CREATE TYPE, which pgGit v1 does not record (in default mode it leaves no
-- row; with v1_createdb --complete it is recorded and nothing fails). Change 3 is a recorded
-- CREATE TABLE that uses the type: on replay it fails ("type mood does not exist"), must give no
-- commit but a recorded failure with the error text (exit code 1), and must not stop the run.
-- The changes before and after it are unrelated to it and must replay and give commits:
-- change 1 before it, changes 4-6 after it.
-- Expected (default mode): 5 recorded changes, 4 commits, 1 failure (change 3).

-- 1. Replays.
SET pggit_fixture.clock = '2024-06-01 09:00:00';
SET pggit_fixture."user" = 'alice';
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL
);

-- 2. Not recorded in default mode.
SET pggit_fixture.clock = '2024-06-02 09:00:00';
CREATE TYPE mood AS ENUM ('happy', 'sad', 'bored');

-- 3. Recorded, fails on replay: mood is unknown there.
SET pggit_fixture.clock = '2024-06-03 09:00:00';
CREATE TABLE diary (
    id integer PRIMARY KEY,
    person_id integer NOT NULL REFERENCES people (id),
    feeling mood NOT NULL,
    written_on date NOT NULL
);

-- 4. Replays: unrelated to diary and mood.
SET pggit_fixture.clock = '2024-06-04 09:00:00';
SET pggit_fixture."user" = 'bob';
CREATE TABLE notes (
    id integer PRIMARY KEY,
    body text NOT NULL
);

-- 5. Replays.
SET pggit_fixture.clock = '2024-06-05 09:00:00';
CREATE INDEX people_name_idx ON people (name);

-- 6. Replays.
SET pggit_fixture.clock = '2024-06-06 09:00:00';
CREATE VIEW people_names AS SELECT id, name FROM people;

RESET pggit_fixture.clock;
RESET pggit_fixture."user";
