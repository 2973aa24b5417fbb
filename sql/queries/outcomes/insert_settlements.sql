-- New settlement versions of covenant $1, one per element of the arrays: settlement ids, versions,
-- periods, providers, lots, agreements, agreement versions, input digests, totals, contents
-- (binary protobuf, docs/adr/0020). Run by $12. Returns each settlement id with its creation time
-- in microseconds.
INSERT INTO outcomes.settlements
  (covenant_id, settlement_id, version, period, provider_kvk, lot_id, agreement_id,
   agreement_version, inputs_digest, total_eurocents, content_pb, run_by)
SELECT $1, s.settlement_id, s.version, s.period, s.provider_kvk, s.lot_id, s.agreement_id,
       s.agreement_version, s.inputs_digest, s.total_eurocents, s.content, $12
  FROM unnest($2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[],
              $8::integer[], $9::text[], $10::bigint[], $11::bytea[])
       AS s (settlement_id, version, period, provider_kvk, lot_id, agreement_id, agreement_version,
             inputs_digest, total_eurocents, content)
RETURNING settlement_id, (extract(epoch FROM created_at) * 1000000)::bigint
