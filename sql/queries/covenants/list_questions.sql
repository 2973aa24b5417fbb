-- Questions of covenant $1 after id $2, at most $5: answered ones, and when $3 every open one, else
-- the open ones of organisation $4.
SELECT q.question_id, q.covenant_id, q.text, q.asked_by_organisation,
       (extract(epoch FROM q.asked_at) * 1000000)::bigint AS asked_at_us,
       coalesce(q.answer, '') AS answer_text,
       coalesce((extract(epoch FROM q.answered_at) * 1000000)::bigint, 0) AS answered_at_us
FROM covenants.questions q
WHERE q.covenant_id = $1 AND q.question_id > $2
  AND (q.answered_at IS NOT NULL OR $3 OR q.asked_by_organisation = $4)
ORDER BY q.question_id
LIMIT $5
