-- Every change to a covenant passes here: the state, a new etag, and on publication its moment.
UPDATE covenants.covenants
SET state = $2, etag = etag + 1, updated_at = now(),
    published_at = CASE WHEN $3 THEN now() ELSE published_at END
WHERE covenant_id = $1
