SELECT key_id, certificate_pem, (extract(epoch FROM added_at) * 1000000)::bigint
FROM audit.signing_keys
ORDER BY added_at, key_id
