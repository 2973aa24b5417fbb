-- The next version of report $2 of covenant $1, SUBMITTED (the caller holds lock_report), with the
-- columns of select_versions.sql. Nothing when the provider has used the request id before.
INSERT INTO reports.reports
  (covenant_id, report_id, version, provider_kvk, kind, period_start, period_end, state,
   request_id, submitted_by, due_date, late, financial_early_warning, waiting_list, signal_note,
   remarks, content_digest, signature, signer_certificate, signer_fingerprint)
VALUES ($1, $2,
        (SELECT coalesce(max(version), 0) + 1 FROM reports.reports
          WHERE covenant_id = $1 AND report_id = $2),
        $3, $4, $5::date, $6::date, 'SUBMITTED', $7, $8, $9::date, $10, $11, $12, $13, $14, $15,
        $16, $17, $18)
ON CONFLICT ON CONSTRAINT report_request_unique DO NOTHING
RETURNING covenant_id, report_id, version, provider_kvk, kind, period_start::text,
          period_end::text, state, (extract(epoch FROM submitted_at) * 1000000)::bigint,
          submitted_by, coalesce(due_date::text, ''), late, financial_early_warning, waiting_list,
          signal_note, remarks, signature, coalesce(signer_certificate, ''), signer_fingerprint,
          review_reason, reviewed_by,
          coalesce((extract(epoch FROM reviewed_at) * 1000000)::bigint, 0), content_digest
