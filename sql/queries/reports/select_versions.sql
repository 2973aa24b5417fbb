-- Every version of report $2 of covenant $1, oldest first (the columns PgReportStore reads).
SELECT covenant_id, report_id, version, provider_kvk, kind, period_start::text, period_end::text,
       state, (extract(epoch FROM submitted_at) * 1000000)::bigint, submitted_by,
       coalesce(due_date::text, ''), late, financial_early_warning, waiting_list, signal_note,
       remarks, signature, coalesce(signer_certificate, ''), signer_fingerprint, review_reason,
       reviewed_by, coalesce((extract(epoch FROM reviewed_at) * 1000000)::bigint, 0),
       content_digest
  FROM reports.reports
 WHERE covenant_id = $1 AND report_id = $2
 ORDER BY version
