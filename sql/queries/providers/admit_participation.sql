-- The participation an admission creates; an ended one of the same provider and lot starts
-- afresh. Returns nothing when a running one exists.
INSERT INTO providers.participations
  (covenant_id, kvk_number, lot_id, state, in_force_from, application_id)
VALUES ($1, $2, $3, 'ACTIVE', $4::date, $5)
ON CONFLICT (covenant_id, kvk_number, lot_id) DO UPDATE
SET state = 'ACTIVE', in_force_from = excluded.in_force_from,
    application_id = excluded.application_id, suspension_reason = '', suspended_until = NULL,
    suspension_automatic = false, suspended_by = '', suspended_at = NULL, ending_kind = '',
    end_date = NULL, end_reason = '', ended_by = '', ended_at = NULL,
    etag = providers.participations.etag + 1, updated_at = now()
WHERE providers.participations.state = 'ENDED'
RETURNING lot_id
