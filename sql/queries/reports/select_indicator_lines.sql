-- The indicator figures of version $3 of report $2 of covenant $1.
SELECT municipality_code, lot_id, indicator_id, numerator, denominator
  FROM reports.indicator_lines
 WHERE covenant_id = $1 AND report_id = $2 AND version = $3
 ORDER BY municipality_code, lot_id, indicator_id
