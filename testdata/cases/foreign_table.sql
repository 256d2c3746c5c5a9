-- testdata/cases/foreign_table.sql: database-wide objects and a foreign table, for a complete
-- history (v1_createdb --complete), where pgGit files a foreign table under TABLE.
--
-- The snapshot holds the foreign table at public/foreign_table/remote_notes.sql and the wrapper,
-- server and extension under %global; verify's meaning check finds the foreign table's rows
-- there, not under public/table/.
-- Expected: 7 changes, 7 commits, no failure; the foreign table's CREATE, ALTER and DROP rows
-- agree with their commits.

SET pggit_fixture.clock = '2024-06-01 08:00:00';
SET pggit_fixture."user" = 'alice';
CREATE FOREIGN DATA WRAPPER dummy;

SET pggit_fixture.clock = '2024-06-02 08:00:00';
CREATE SERVER notes_srv FOREIGN DATA WRAPPER dummy OPTIONS (host 'notes');

SET pggit_fixture.clock = '2024-06-03 08:00:00';
CREATE FOREIGN TABLE remote_notes (id integer NOT NULL) SERVER notes_srv;

SET pggit_fixture.clock = '2024-06-04 08:00:00';
ALTER FOREIGN TABLE remote_notes ADD COLUMN body text;

SET pggit_fixture.clock = '2024-06-05 08:00:00';
CREATE EXTENSION citext;

SET pggit_fixture.clock = '2024-06-06 08:00:00';
CREATE PUBLICATION notes_pub;

SET pggit_fixture.clock = '2024-06-07 08:00:00';
DROP FOREIGN TABLE remote_notes;
