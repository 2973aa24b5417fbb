INSERT INTO providers.objections
  (covenant_id, application_id, lot_id, objection_no, kind, filed_date, summary, registered_by)
SELECT $1, $2, $3, coalesce(max(o.objection_no), 0) + 1, $4, $5::date, $6, $7
FROM providers.objections o
WHERE o.covenant_id = $1 AND o.application_id = $2 AND o.lot_id = $3
