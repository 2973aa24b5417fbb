-- Replaces a provider's profile when its etag is still $2; returns nothing otherwise.
UPDATE providers.providers
SET display_name = $3, profile = $4::jsonb, etag = etag + 1, updated_at = now()
WHERE kvk_number = $1 AND etag = $2
RETURNING kvk_number
