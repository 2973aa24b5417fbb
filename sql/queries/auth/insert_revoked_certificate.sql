INSERT INTO auth.revoked_certificates (serial, reason, revoked_by) VALUES ($1, $2, $3)
ON CONFLICT (serial) DO NOTHING
RETURNING serial, reason, (extract(epoch FROM revoked_at) * 1000000)::bigint AS revoked_at_us, revoked_by
