-- Version $3 of settlement $2 of covenant $1.
INSERT INTO outcomes.settlements
  (covenant_id, settlement_id, version, period, provider_kvk, lot_id, agreement_id,
   agreement_version, inputs_digest, total_eurocents, content, run_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12);
