UPDATE providers.applications SET state = $3, updated_at = now()
WHERE covenant_id = $1 AND application_id = $2
