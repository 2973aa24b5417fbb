SELECT serial, reason, (extract(epoch FROM revoked_at) * 1000000)::bigint AS revoked_at_us, revoked_by
FROM auth.revoked_certificates
WHERE serial = $1
