-- Every change to a covenant passes here: the state, a new etag, on publication its moment, and
-- the lifecycle record (extensions used; termination date, reason and who).
UPDATE covenants.covenants
SET state = $2, etag = etag + 1, updated_at = now(),
    published_at = CASE WHEN $3 THEN now() ELSE published_at END,
    extensions_used = $4, terminated_on = NULLIF($5, '')::date,
    termination_reason = NULLIF($6, ''), terminated_by = NULLIF($7, '')
WHERE covenant_id = $1
