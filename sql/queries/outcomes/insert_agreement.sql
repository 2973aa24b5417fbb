-- A new agreement ($1 covenant, $2 lot, $3 id, $4 provider KvK or ''), by $5; no row when taken.
INSERT INTO outcomes.agreements (covenant_id, lot_id, agreement_id, provider_kvk, created_by)
VALUES ($1, $2, $3, NULLIF($4, ''), $5)
ON CONFLICT DO NOTHING
RETURNING 1;
