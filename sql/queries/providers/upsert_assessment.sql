INSERT INTO providers.assessments
  (covenant_id, application_id, requirement_id, requirement_revision, result, motivation,
   evidence, assessor)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
ON CONFLICT (covenant_id, application_id, requirement_id) DO UPDATE
SET requirement_revision = excluded.requirement_revision, result = excluded.result,
    motivation = excluded.motivation, evidence = excluded.evidence,
    assessor = excluded.assessor, assessed_at = now()
