-- Every participation (admission to a lot) of covenant $1 with its provider's name.
SELECT p.kvk_number, p.lot_id, p.state, p.in_force_from::text, pr.display_name
  FROM providers.participations p
  JOIN providers.providers pr ON pr.kvk_number = p.kvk_number
 WHERE p.covenant_id = $1
 ORDER BY p.lot_id, p.kvk_number
