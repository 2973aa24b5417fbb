INSERT INTO covenants.region_members (region_id, municipality)
SELECT $1, member FROM unnest($2::text[]) AS member
