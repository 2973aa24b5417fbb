-- The lines of version $3 of report $2 of covenant $1 in one statement, one row per element of
-- each group of arrays: counts ($4-$12: municipality codes, lot ids, then the counts; an empty
-- waiting-days element is NULL), amounts ($13-$16) and indicator figures ($17-$21).
WITH counts AS (
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
), amounts AS (
  INSERT INTO reports.amount_lines
    (covenant_id, report_id, version, municipality_code, lot_id, product_code, amount_eurocents)
  SELECT $1, $2, $3, l.municipality_code, l.lot_id, l.product_code, l.amount_eurocents
    FROM unnest($13::text[], $14::text[], $15::text[], $16::bigint[])
         AS l (municipality_code, lot_id, product_code, amount_eurocents)
)
INSERT INTO reports.indicator_lines
  (covenant_id, report_id, version, municipality_code, lot_id, indicator_id, numerator, denominator)
SELECT $1, $2, $3, l.municipality_code, l.lot_id, l.indicator_id, l.numerator, l.denominator
  FROM unnest($17::text[], $18::text[], $19::text[], $20::bigint[], $21::bigint[])
       AS l (municipality_code, lot_id, indicator_id, numerator, denominator)
