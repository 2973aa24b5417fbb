-- The assessments of applications $2 (int[]) of covenant $1.
SELECT s.application_id, s.requirement_id, s.requirement_revision, s.result, s.motivation,
       s.evidence::text, s.assessor, (extract(epoch FROM s.assessed_at) * 1000000)::bigint
FROM providers.assessments s
WHERE s.covenant_id = $1 AND s.application_id = ANY($2::int[])
ORDER BY s.application_id, s.requirement_id
