INSERT INTO covenants.questions (covenant_id, text, asked_by_organisation, asked_by)
VALUES ($1, $2, $3, $4)
RETURNING question_id
