-- The newest revision of each piece of evidence: of provider $1 (every provider when ''), of
-- evidence id $2 only when it is not '', after (kvk, id) ($3, $4); expiring before day $5 only
-- when it is not '' (then soonest first); at most $6.
SELECT e.kvk_number, e.evidence_id, e.revision, e.kind, e.title, e.issue_date::text,
       coalesce(e.expiry_date::text, ''), e.sha256, e.recorded_by,
       (extract(epoch FROM e.recorded_at) * 1000000)::bigint
FROM providers.evidence e
WHERE ($1 = '' OR e.kvk_number = $1)
  AND ($2 = '' OR e.evidence_id = $2)
  AND (e.kvk_number, e.evidence_id) > ($3, $4)
  AND ($5 = '' OR e.expiry_date < $5::date)
  AND e.revision = (SELECT max(n.revision) FROM providers.evidence n
                    WHERE n.kvk_number = e.kvk_number AND n.evidence_id = e.evidence_id)
ORDER BY CASE WHEN $5 = '' THEN NULL ELSE e.expiry_date END, e.kvk_number, e.evidence_id
LIMIT $6
