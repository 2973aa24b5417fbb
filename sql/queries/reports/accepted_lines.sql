-- The lines of the newest accepted version of each report of covenant $1 (reports.accepted_versions)
-- of kind $7, filtered by provider $2, lot $3, municipality $4 and periods within $5 .. $6 (each
-- '' for any): the counts and the amount declared on each line.
SELECT l.lot_id, l.municipality_code, a.period_start::text, a.provider_kvk, l.clients_in_care,
       l.inflow, l.outflow, l.unilateral_endings, l.complaints, l.serious_incidents,
       l.declared_eurocents
  FROM reports.accepted_versions a
  JOIN reports.declared_count_lines l USING (covenant_id, report_id, version)
 WHERE a.covenant_id = $1
   AND ($2 = '' OR a.provider_kvk = $2)
   AND ($3 = '' OR l.lot_id = $3)
   AND ($4 = '' OR l.municipality_code = $4)
   AND ($5 = '' OR a.period_start >= $5::date)
   AND ($6 = '' OR a.period_end <= $6::date)
   AND a.kind = $7
 ORDER BY l.lot_id, l.municipality_code, a.period_start, a.provider_kvk
