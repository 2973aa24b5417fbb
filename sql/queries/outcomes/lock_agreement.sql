-- Locks an agreement ($1 covenant, $2 lot, $3 id) while a version is added.
SELECT 1 FROM outcomes.agreements
 WHERE covenant_id = $1 AND lot_id = $2 AND agreement_id = $3
   FOR UPDATE;
