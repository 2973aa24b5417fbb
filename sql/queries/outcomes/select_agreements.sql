-- Agreement versions of covenant $1: per agreement (lot $2 and id $3 when not ''; for provider $4
-- the lot-wide ones and its own) version $6, or when 0 the one in force on $5 (the first one when
-- none is yet); after (lot, id) ($7, $8); at most $9. With $10 every version, oldest first.
-- The content in binary protobuf, or in JSON for a version stored before V0019 (docs/adr/0020).
--
-- The provider filter looks each agreement up by its full key rather than joining the agreements:
-- a pooled connection plans this once for any covenant, and planned while the tables were small,
-- a join checked every version against every agreement of the covenant (docs/performance.md).
SELECT content_pb, CASE WHEN content_pb IS NULL THEN content::text END,
       (extract(epoch FROM created_at) * 1000000)::bigint
  FROM (
    SELECT DISTINCT ON (v.lot_id, v.agreement_id, CASE WHEN $10 THEN v.version END)
           v.lot_id, v.agreement_id, v.version, v.content, v.content_pb, v.created_at
      FROM outcomes.agreement_versions v
     WHERE v.covenant_id = $1
       AND ($2 = '' OR v.lot_id = $2)
       AND ($3 = '' OR v.agreement_id = $3)
       AND ($4 = '' OR EXISTS (SELECT 1 FROM outcomes.agreements a
                                WHERE a.covenant_id = v.covenant_id AND a.lot_id = v.lot_id
                                  AND a.agreement_id = v.agreement_id
                                  AND (a.provider_kvk IS NULL OR a.provider_kvk = $4)))
       AND ($6 = 0 OR v.version = $6)
       AND (v.lot_id, v.agreement_id) > ($7, $8)
     ORDER BY v.lot_id, v.agreement_id, CASE WHEN $10 THEN v.version END,
              (v.effective_date <= $5::date) DESC,
              CASE WHEN v.effective_date <= $5::date THEN v.version ELSE -v.version END DESC
  ) chosen
 ORDER BY lot_id, agreement_id, version
 LIMIT $9;
