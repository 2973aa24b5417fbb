UPDATE covenants.questions
SET answer = $3, answered_by = $4, answered_at = now()
WHERE covenant_id = $1 AND question_id = $2 AND answer IS NULL
RETURNING question_id
