INSERT INTO covenants.regions (region_id, display_name, lead_municipality) VALUES ($1, $2, $3)
ON CONFLICT (region_id) DO NOTHING
RETURNING region_id
