-- SCHEDULED -> CANCELLED with a reason; no row when it was not scheduled.
UPDATE covenants.meetings
SET state = 'cancelled', cancellation_reason = $3, updated_at = now()
WHERE covenant_id = $1 AND meeting_id = $2 AND state = 'scheduled'
RETURNING meeting_id
