-- Keyset pagination by region id after $1 ('' for the first page); when $2 is not empty, only
-- regions that municipality belongs to.
SELECT r.region_id, r.display_name, r.lead_municipality,
       (extract(epoch FROM r.created_at) * 1000000)::bigint AS created_at_us,
       array_to_string(ARRAY(SELECT rm.municipality FROM covenants.region_members rm
                             WHERE rm.region_id = r.region_id ORDER BY rm.municipality), ',')
         AS member_codes
FROM covenants.regions r
WHERE r.region_id > $1
  AND ($2 = '' OR EXISTS (SELECT 1 FROM covenants.region_members f
                          WHERE f.region_id = r.region_id AND f.municipality = $2))
ORDER BY r.region_id
LIMIT $3
