-- The newest version of each report of covenant $1 after report id $2, filtered by provider $3,
-- lot $4 (has a line for it), municipality $5 (has a line for it), periods within $6 .. $7, kind
-- $8 and state $9 (each '' for any); at most $10. Same columns as select_versions.sql.
SELECT r.covenant_id, r.report_id, r.version, r.provider_kvk, r.kind, r.period_start::text,
       r.period_end::text, r.state, (extract(epoch FROM r.submitted_at) * 1000000)::bigint,
       r.submitted_by, coalesce(r.due_date::text, ''), r.late, r.financial_early_warning,
       r.waiting_list, r.signal_note, r.remarks, r.signature, coalesce(r.signer_certificate, ''),
       r.signer_fingerprint, r.review_reason, r.reviewed_by,
       coalesce((extract(epoch FROM r.reviewed_at) * 1000000)::bigint, 0), r.content_digest
  FROM (SELECT DISTINCT ON (report_id) *
          FROM reports.reports
         WHERE covenant_id = $1 AND report_id > $2
         ORDER BY report_id, version DESC) r
 WHERE ($3 = '' OR r.provider_kvk = $3)
   AND ($4 = '' OR EXISTS (SELECT 1 FROM reports.count_lines l
                            WHERE (l.covenant_id, l.report_id, l.version) = (r.covenant_id, r.report_id, r.version)
                              AND l.lot_id = $4))
   AND ($5 = '' OR EXISTS (SELECT 1 FROM reports.count_lines l
                            WHERE (l.covenant_id, l.report_id, l.version) = (r.covenant_id, r.report_id, r.version)
                              AND l.municipality_code = $5))
   AND ($6 = '' OR r.period_start >= $6::date)
   AND ($7 = '' OR r.period_end <= $7::date)
   AND ($8 = '' OR r.kind = $8)
   AND ($9 = '' OR r.state = $9)
 ORDER BY r.report_id
 LIMIT $10
