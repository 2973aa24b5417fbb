-- Version $4 of an agreement ($1 covenant, $2 lot, $3 id), in force from $5, made by amendment
-- $6 (0: none), with content $7 (JSON) and $9 (binary protobuf, docs/adr/0020), by $8; no row
-- when that amendment made a version already.
INSERT INTO outcomes.agreement_versions
  (covenant_id, lot_id, agreement_id, version, effective_date, amendment_id, content, created_by,
   content_pb)
VALUES ($1, $2, $3, $4, $5::date, NULLIF($6::integer, 0), $7::jsonb, $8, $9::bytea)
ON CONFLICT (covenant_id, lot_id, agreement_id, amendment_id) DO NOTHING
RETURNING 1;
