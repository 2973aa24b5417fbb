-- One sealer at a time across all processes; released at the end of the transaction.
SELECT pg_try_advisory_xact_lock(7378848935925524481)
