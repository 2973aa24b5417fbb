-- Serializes the versions of one report (covenant $1, report $2) for the rest of the transaction.
SELECT reports.lock_report($1, $2)
