-- Give the scratch database ($1) back to the caller before it is dropped
-- with everything the replay role made in it.
--
-- Not REASSIGN OWNED and DROP OWNED in the shadow: they lock every object
-- the role owns in one transaction, and a shadow of 20,000 objects then
-- runs out of lock slots ("out of shared memory") at the end of a run whose
-- commits are all written. DROP DATABASE needs no lock per object, and the
-- role owns nothing outside the shadow, so DROP ROLE follows it.
SELECT format('ALTER DATABASE %I OWNER TO CURRENT_USER', $1::text);
