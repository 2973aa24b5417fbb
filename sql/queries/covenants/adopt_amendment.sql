-- PROPOSED -> ADOPTED at meeting $3, creating version $4; no row when it was not proposed.
UPDATE covenants.amendments
SET state = 'adopted', meeting_id = $3, version = $4, decided_by = $5, decided_at = now()
WHERE covenant_id = $1 AND amendment_id = $2 AND state = 'proposed'
RETURNING amendment_id
