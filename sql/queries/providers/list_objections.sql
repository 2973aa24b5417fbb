-- The objections against lots of applications $2 (int[]) of covenant $1.
SELECT o.application_id, o.lot_id, o.kind, o.filed_date::text, o.summary, o.registered_by,
       (extract(epoch FROM o.registered_at) * 1000000)::bigint
FROM providers.objections o
WHERE o.covenant_id = $1 AND o.application_id = ANY($2::int[])
ORDER BY o.application_id, o.lot_id, o.objection_no
