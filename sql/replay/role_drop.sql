-- Drop the replay role ($1) once the scratch database is gone.
SELECT format('DROP ROLE IF EXISTS %I', $1::text);
