-- Covenants after id $1 ('' for the first page), newest terms, that the caller may see:
-- published ones, and drafts of municipalities in $2 (a text array) or of region $3.
-- Filters: state $4, municipality $5, legal basis $6 ('' for any). At most $7 rows.
SELECT c.covenant_id, c.state, coalesce(c.owner_municipality, ''), coalesce(c.owner_region, ''),
       c.etag, (extract(epoch FROM c.created_at) * 1000000)::bigint AS created_at_us,
       (extract(epoch FROM c.updated_at) * 1000000)::bigint AS updated_at_us,
       coalesce((extract(epoch FROM c.published_at) * 1000000)::bigint, 0) AS published_at_us,
       array_to_string(c.municipalities, ',') AS municipality_codes, coalesce(c.region_id, ''),
       v.version, v.effective_from::text AS effective_from_text, v.terms::text AS terms_text,
       c.extensions_used, coalesce(c.terminated_on::text, '') AS terminated_on_text,
       coalesce(c.termination_reason, ''), coalesce(c.terminated_by, '')
FROM covenants.covenants c
CROSS JOIN LATERAL (
  SELECT cv.version, cv.effective_from, cv.terms
  FROM covenants.covenant_versions cv
  WHERE cv.covenant_id = c.covenant_id
  ORDER BY cv.version DESC
  LIMIT 1) v
WHERE c.covenant_id > $1
  AND (c.state <> 'draft' OR c.municipalities && $2::text[] OR ($3 <> '' AND c.region_id = $3))
  AND ($4 = '' OR c.state = $4)
  AND ($5 = '' OR $5 = ANY (c.municipalities))
  AND ($6 = '' OR $6 = ANY (c.legal_bases))
ORDER BY c.covenant_id
LIMIT $7
