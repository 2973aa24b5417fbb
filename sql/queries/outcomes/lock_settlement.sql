-- Serialises runs of one settlement ($1 covenant, $2 settlement id) until the transaction ends.
SELECT pg_advisory_xact_lock(hashtextextended('outcomes/settlement/' || $1 || '/' || $2, 0));
