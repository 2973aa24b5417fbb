-- Keyset pagination by code: the page after code $1 ('' for the first page).
SELECT m.code, m.display_name, (extract(epoch FROM m.created_at) * 1000000)::bigint AS created_at_us
FROM covenants.municipalities m
WHERE m.code > $1
ORDER BY m.code
LIMIT $2
