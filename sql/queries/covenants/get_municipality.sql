SELECT m.code, m.display_name, (extract(epoch FROM m.created_at) * 1000000)::bigint AS created_at_us
FROM covenants.municipalities m
WHERE m.code = $1
