-- The newest version of each of the settlements $2 (ids) of covenant $1: the columns of
-- select_settlements.sql (never superseded), then the settlement id.
SELECT DISTINCT ON (settlement_id) content_pb, CASE WHEN content_pb IS NULL THEN content::text END,
       (extract(epoch FROM created_at) * 1000000)::bigint, false, settlement_id
  FROM outcomes.settlements
 WHERE covenant_id = $1 AND settlement_id = ANY($2::text[])
 ORDER BY settlement_id, version DESC;
