SELECT q.question_id FROM covenants.questions q
WHERE q.covenant_id = $1 AND q.question_id = $2
FOR UPDATE
