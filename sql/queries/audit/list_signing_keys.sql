SELECT s.key_id, s.certificate_pem,
       (extract(epoch FROM s.added_at) * 1000000)::bigint AS added_at_us
FROM audit.signing_keys s
ORDER BY s.added_at, s.key_id
