-- The counts of version $3 of report $2 of covenant $1: one row per element of the arrays
-- (municipality codes, lot ids, then the counts; an empty waiting-days element is NULL).
INSERT INTO reports.count_lines
  (covenant_id, report_id, version, municipality_code, lot_id, clients_in_care, inflow, outflow,
   unilateral_endings, median_waiting_days, complaints, serious_incidents)
SELECT $1, $2, $3, l.municipality_code, l.lot_id, l.clients_in_care, l.inflow, l.outflow,
       l.unilateral_endings, NULLIF(l.median_waiting_days, '')::integer, l.complaints,
       l.serious_incidents
  FROM unnest($4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[],
              $10::text[], $11::bigint[], $12::bigint[])
       AS l (municipality_code, lot_id, clients_in_care, inflow, outflow, unilateral_endings,
             median_waiting_days, complaints, serious_incidents)
