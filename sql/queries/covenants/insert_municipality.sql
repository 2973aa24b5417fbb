INSERT INTO covenants.municipalities (code, display_name) VALUES ($1, $2)
ON CONFLICT (code) DO NOTHING
RETURNING code, display_name, (extract(epoch FROM created_at) * 1000000)::bigint AS created_at_us
