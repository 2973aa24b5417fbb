-- Writes the mutable fields of a participation; who and when are set for a new suspension or
-- ending ($10 = actor).
UPDATE providers.participations
SET state = $4,
    suspension_reason = $5, suspended_until = nullif($6, '')::date, suspension_automatic = $7,
    suspended_by = CASE WHEN $5 = '' THEN '' WHEN suspension_reason = $5 THEN suspended_by
                        ELSE $10 END,
    suspended_at = CASE WHEN $5 = '' THEN NULL WHEN suspension_reason = $5 THEN suspended_at
                        ELSE now() END,
    ending_kind = $8, end_date = nullif($9, '')::date, end_reason = $11,
    ended_by = CASE WHEN $8 = '' THEN '' WHEN ending_kind = $8 THEN ended_by ELSE $10 END,
    ended_at = CASE WHEN $8 = '' THEN NULL WHEN ending_kind = $8 THEN ended_at ELSE now() END,
    etag = etag + 1, updated_at = now()
WHERE covenant_id = $1 AND kvk_number = $2 AND lot_id = $3
