-- A new provider; returns nothing when the KvK number is registered already.
INSERT INTO providers.providers (kvk_number, display_name, profile, registered_by)
VALUES ($1, $2, $3::jsonb, $4)
ON CONFLICT (kvk_number) DO NOTHING
RETURNING kvk_number
