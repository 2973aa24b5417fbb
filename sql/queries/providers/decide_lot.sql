-- Records the outcome of an undecided lot; the letter is served at once, so notified then.
UPDATE providers.lot_decisions
SET outcome = $4, letter = $5, decided_by = $6, decided_at = now(), notified_at = now(),
    in_force_from = nullif($7, '')::date
WHERE covenant_id = $1 AND application_id = $2 AND lot_id = $3 AND outcome IS NULL
