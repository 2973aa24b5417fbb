INSERT INTO covenants.covenant_versions (covenant_id, version, effective_from, terms)
VALUES ($1, $2, $3::date, $4::jsonb)
