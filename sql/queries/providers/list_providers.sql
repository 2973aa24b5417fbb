-- Providers by KvK number: only $1 when it is not '', after $2, at most $3.
SELECT p.profile::text, p.etag, p.registered_by,
       (extract(epoch FROM p.registered_at) * 1000000)::bigint,
       (extract(epoch FROM p.updated_at) * 1000000)::bigint
FROM providers.providers p
WHERE ($1 = '' OR p.kvk_number = $1) AND p.kvk_number > $2
ORDER BY p.kvk_number
LIMIT $3
