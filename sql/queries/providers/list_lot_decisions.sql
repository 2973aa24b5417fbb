-- The lots of applications $2 (int[]) of covenant $1.
SELECT d.application_id, d.lot_id, coalesce(d.outcome, ''), d.letter, d.decided_by,
       coalesce((extract(epoch FROM d.decided_at) * 1000000)::bigint, 0),
       coalesce((extract(epoch FROM d.notified_at) * 1000000)::bigint, 0),
       coalesce(d.in_force_from::text, '')
FROM providers.lot_decisions d
WHERE d.covenant_id = $1 AND d.application_id = ANY($2::int[])
ORDER BY d.application_id, d.lot_id
