SELECT application_id FROM providers.applications
WHERE covenant_id = $1 AND application_id = $2 FOR UPDATE
