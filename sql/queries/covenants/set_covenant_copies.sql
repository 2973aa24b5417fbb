-- The fields copied from the newest terms, for lists, filters and visibility.
UPDATE covenants.covenants
SET legal_bases = $2::text[], municipalities = $3::text[], region_id = NULLIF($4, ''),
    start_date = $5::date, end_date = $6::date
WHERE covenant_id = $1
