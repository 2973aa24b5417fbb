-- $3 = true locks the question for answering.
SELECT q.question_id, q.covenant_id, q.text, q.asked_by_organisation,
       (extract(epoch FROM q.asked_at) * 1000000)::bigint AS asked_at_us,
       coalesce(q.answer, '') AS answer_text,
       coalesce((extract(epoch FROM q.answered_at) * 1000000)::bigint, 0) AS answered_at_us
FROM covenants.questions q
WHERE q.covenant_id = $1 AND q.question_id = $2
