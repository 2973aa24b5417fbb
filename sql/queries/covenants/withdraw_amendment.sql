-- PROPOSED -> WITHDRAWN; no row when it was not proposed.
UPDATE covenants.amendments
SET state = 'withdrawn', decided_by = $3, decided_at = now()
WHERE covenant_id = $1 AND amendment_id = $2 AND state = 'proposed'
RETURNING amendment_id
