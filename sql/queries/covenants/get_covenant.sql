-- A covenant with the version in force on $2 (an ISO date; '' for today in the Netherlands): the
-- newest by effective date (the highest version on a tie) among those in effect, or version 1 when
-- none is in effect yet.
SELECT c.covenant_id, c.state, coalesce(c.owner_municipality, ''), coalesce(c.owner_region, ''),
       c.etag, (extract(epoch FROM c.created_at) * 1000000)::bigint AS created_at_us,
       (extract(epoch FROM c.updated_at) * 1000000)::bigint AS updated_at_us,
       coalesce((extract(epoch FROM c.published_at) * 1000000)::bigint, 0) AS published_at_us,
       array_to_string(c.municipalities, ',') AS municipality_codes, coalesce(c.region_id, ''),
       v.version, v.effective_from::text AS effective_from_text, v.terms::text AS terms_text,
       c.extensions_used, coalesce(c.terminated_on::text, '') AS terminated_on_text,
       coalesce(c.termination_reason, ''), coalesce(c.terminated_by, '')
FROM covenants.covenants c
CROSS JOIN (SELECT coalesce(NULLIF($2, '')::date,
                            (now() AT TIME ZONE 'Europe/Amsterdam')::date) AS d) day
CROSS JOIN LATERAL (
  SELECT cv.version, cv.effective_from, cv.terms
  FROM covenants.covenant_versions cv
  WHERE cv.covenant_id = c.covenant_id
  ORDER BY CASE WHEN cv.effective_from <= day.d THEN 0 ELSE 1 END,
           CASE WHEN cv.effective_from <= day.d THEN cv.effective_from END DESC,
           CASE WHEN cv.effective_from <= day.d THEN -cv.version ELSE cv.version END
  LIMIT 1) v
WHERE c.covenant_id = $1
