-- Applications of covenant $1: of provider $2 when not '', for window $3 when not '', with id
-- after $4, at most $5; or exactly id $6 when it is not 0.
SELECT a.covenant_id, a.application_id, a.kvk_number, a.window_date::text, a.note, a.state,
       a.terms_version, a.submitted_by,
       (extract(epoch FROM a.submitted_at) * 1000000)::bigint,
       (extract(epoch FROM a.updated_at) * 1000000)::bigint, a.earlier_decision
FROM providers.applications a
WHERE a.covenant_id = $1
  AND ($2 = '' OR a.kvk_number = $2)
  AND ($3 = '' OR a.window_date = nullif($3, '')::date)
  AND a.application_id > $4
  AND ($6 = 0 OR a.application_id = $6)
ORDER BY a.application_id
LIMIT $5
