-- Settlements of covenant $1 (id $2 when not ''): per settlement version $3, or the newest when 0;
-- filtered by period $4, provider $5 and lot $6 when not ''; after id $7; at most $8.
-- The content in binary protobuf, or in JSON for a row stored before V0019 (docs/adr/0020).
SELECT s.content_pb, CASE WHEN s.content_pb IS NULL THEN s.content::text END,
       (extract(epoch FROM s.created_at) * 1000000)::bigint,
       EXISTS (SELECT 1 FROM outcomes.settlements n
                WHERE n.covenant_id = s.covenant_id AND n.settlement_id = s.settlement_id
                  AND n.version > s.version) AS superseded
  FROM (
    SELECT DISTINCT ON (settlement_id) *
      FROM outcomes.settlements
     WHERE covenant_id = $1
       AND ($2 = '' OR settlement_id = $2)
       AND ($3 = 0 OR version = $3)
       AND ($4 = '' OR period = $4)
       AND ($5 = '' OR provider_kvk = $5)
       AND ($6 = '' OR lot_id = $6)
       AND settlement_id > $7
     ORDER BY settlement_id, version DESC
  ) s
 ORDER BY s.settlement_id
 LIMIT $8;
