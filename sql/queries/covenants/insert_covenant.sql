INSERT INTO covenants.covenants
  (covenant_id, state, owner_municipality, owner_region, legal_bases, municipalities, region_id,
   start_date, end_date)
VALUES ($1, 'draft', NULLIF($2, ''), NULLIF($3, ''), $4::text[], $5::text[], NULLIF($6, ''), $7::date,
        $8::date)
ON CONFLICT (covenant_id) DO NOTHING
RETURNING covenant_id
