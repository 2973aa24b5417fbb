-- The lots of covenant $1 in which provider $2 participates (active, suspended, or ended after
-- the start) on some day of $3 .. $4.
SELECT lot_id
  FROM providers.participations
 WHERE covenant_id = $1 AND kvk_number = $2 AND in_force_from <= $4::date
   AND (end_date IS NULL OR end_date >= $3::date)
 ORDER BY lot_id
