-- Of lots $3 (text[]), those provider $2 has an open application for, or takes part in, in
-- covenant $1: (lot, what).
SELECT d.lot_id, 'an open application (' || d.application_id || ')'
FROM providers.lot_decisions d
WHERE d.covenant_id = $1 AND d.kvk_number = $2 AND d.outcome IS NULL
  AND d.lot_id = ANY($3::text[])
UNION ALL
SELECT p.lot_id, 'a participation that is ' || p.state
FROM providers.participations p
WHERE p.covenant_id = $1 AND p.kvk_number = $2 AND p.state <> 'ENDED'
  AND p.lot_id = ANY($3::text[])
ORDER BY 1
