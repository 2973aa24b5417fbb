-- Records the review of version $3 of report $2 of covenant $1.
UPDATE reports.reports
   SET state = $4, review_reason = $5, reviewed_by = $6, reviewed_at = now()
 WHERE covenant_id = $1 AND report_id = $2 AND version = $3
