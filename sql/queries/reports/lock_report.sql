-- Serializes the versions of one report (covenant $1, report $2) for the rest of the transaction.
SELECT pg_advisory_xact_lock(hashtextextended('reports.reports/' || $1 || '/' || $2, 0))
