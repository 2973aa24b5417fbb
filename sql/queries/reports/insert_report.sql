-- One version of a report, SUBMITTED. Nothing when the provider has used the request id before.
INSERT INTO reports.reports
  (covenant_id, report_id, version, provider_kvk, kind, period_start, period_end, state,
   request_id, submitted_by, due_date, late, financial_early_warning, waiting_list, signal_note,
   remarks, content_digest, signature, signer_certificate, signer_fingerprint)
VALUES ($1, $2, $3, $4, $5, $6::date, $7::date, 'SUBMITTED', $8, $9, $10::date, $11, $12, $13, $14,
        $15, $16, $17, $18, $19)
ON CONFLICT ON CONSTRAINT report_request_unique DO NOTHING
RETURNING version
