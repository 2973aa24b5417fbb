-- Participations of covenant $1 (every covenant when ''), of provider $2, lot $3 and state $4
-- when not '', after (covenant, kvk, lot) ($8, $5, $6), at most $7.
SELECT p.covenant_id, p.kvk_number, p.lot_id, p.state, p.in_force_from::text, p.application_id,
       p.suspension_reason, coalesce(p.suspended_until::text, ''), p.suspension_automatic,
       p.suspended_by, coalesce((extract(epoch FROM p.suspended_at) * 1000000)::bigint, 0),
       p.ending_kind, coalesce(p.end_date::text, ''), p.end_reason, p.ended_by,
       coalesce((extract(epoch FROM p.ended_at) * 1000000)::bigint, 0), p.etag,
       (extract(epoch FROM p.updated_at) * 1000000)::bigint
FROM providers.participations p
WHERE ($1 = '' OR p.covenant_id = $1)
  AND ($2 = '' OR p.kvk_number = $2)
  AND ($3 = '' OR p.lot_id = $3)
  AND ($4 = '' OR p.state = $4)
  AND (p.covenant_id, p.kvk_number, p.lot_id) > ($8, $5, $6)
ORDER BY p.covenant_id, p.kvk_number, p.lot_id
LIMIT $7
