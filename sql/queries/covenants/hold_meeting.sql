-- SCHEDULED -> HELD with minutes and decisions; no row when it was not scheduled.
UPDATE covenants.meetings
SET state = 'held', minutes = $3, decisions = $4::text[], updated_at = now()
WHERE covenant_id = $1 AND meeting_id = $2 AND state = 'scheduled'
RETURNING meeting_id
