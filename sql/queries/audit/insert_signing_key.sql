INSERT INTO audit.signing_keys (key_id, certificate_pem) VALUES ($1, $2)
ON CONFLICT (key_id) DO NOTHING
RETURNING key_id
