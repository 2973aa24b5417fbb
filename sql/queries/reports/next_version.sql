-- The number of the next version of report $2 of covenant $1.
SELECT coalesce(max(version), 0) + 1 FROM reports.reports WHERE covenant_id = $1 AND report_id = $2
