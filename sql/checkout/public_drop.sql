-- The snapshot has no schema public: the source dropped it, so drop the
-- target's (it is empty: RESTRICT would refuse otherwise).
DROP SCHEMA public RESTRICT
