UPDATE covenants.covenant_versions
SET terms = $2::jsonb, effective_from = $3::date, recorded_at = now()
WHERE covenant_id = $1 AND version = 1
