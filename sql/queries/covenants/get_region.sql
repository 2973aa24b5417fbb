SELECT r.region_id, r.display_name, r.lead_municipality,
       (extract(epoch FROM r.created_at) * 1000000)::bigint AS created_at_us,
       array_to_string(ARRAY(SELECT rm.municipality FROM covenants.region_members rm
                             WHERE rm.region_id = r.region_id ORDER BY rm.municipality), ',')
         AS member_codes
FROM covenants.regions r
WHERE r.region_id = $1
