-- Newest first; keyset pagination after ($1 revoked_at in microseconds, $2 serial), or from the
-- start when $1 is NULL.
SELECT serial, reason, (extract(epoch FROM revoked_at) * 1000000)::bigint AS revoked_at_us, revoked_by
FROM auth.revoked_certificates
WHERE $1::bigint IS NULL
   OR (revoked_at, serial) < (timestamptz 'epoch' + $1::bigint * interval '1 microsecond', $2::text)
ORDER BY revoked_at DESC, serial DESC
LIMIT $3
