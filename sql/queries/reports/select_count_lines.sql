-- The count lines of version $3 of report $2 of covenant $1, in canonical order.
SELECT municipality_code, lot_id, clients_in_care, inflow, outflow, unilateral_endings,
       median_waiting_days, complaints, serious_incidents
  FROM reports.count_lines
 WHERE covenant_id = $1 AND report_id = $2 AND version = $3
 ORDER BY municipality_code, lot_id
