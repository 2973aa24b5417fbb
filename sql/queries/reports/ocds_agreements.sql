-- The newest version of every outcome agreement of covenant $1: lot, id, provider ('' for the
-- whole lot), version and the agreed indicators (JSON array of {indicator, floor, target, ...}).
SELECT DISTINCT ON (a.lot_id, a.agreement_id)
       a.lot_id, a.agreement_id, coalesce(a.provider_kvk, ''), v.version,
       coalesce(v.content -> 'indicators', '[]'::jsonb)::text
  FROM outcomes.agreements a
  JOIN outcomes.agreement_versions v USING (covenant_id, lot_id, agreement_id)
 WHERE a.covenant_id = $1
 ORDER BY a.lot_id, a.agreement_id, v.version DESC
