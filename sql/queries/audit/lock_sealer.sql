-- The sealer lock of try_lock_sealer.sql, waiting for a sealer running elsewhere to finish;
-- released at the end of the transaction.
SELECT pg_advisory_xact_lock(7378848935925524481)
