-- Version $3 of report $2 of covenant $1 (the columns of select_versions.sql), and whether a newer
-- version supersedes it.
SELECT covenant_id, report_id, version, provider_kvk, kind, period_start::text, period_end::text,
       state, (extract(epoch FROM submitted_at) * 1000000)::bigint, submitted_by,
       coalesce(due_date::text, ''), late, financial_early_warning, waiting_list, signal_note,
       remarks, signature, coalesce(signer_certificate, ''), signer_fingerprint, review_reason,
       reviewed_by, coalesce((extract(epoch FROM reviewed_at) * 1000000)::bigint, 0),
       content_digest,
       EXISTS (SELECT 1 FROM reports.reports newer
                WHERE newer.covenant_id = r.covenant_id AND newer.report_id = r.report_id
                  AND newer.version > r.version) AS superseded
  FROM reports.reports r
 WHERE covenant_id = $1 AND report_id = $2 AND version = $3
