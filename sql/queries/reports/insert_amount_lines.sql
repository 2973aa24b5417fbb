-- The amounts of version $3 of report $2 of covenant $1, one row per element of the arrays.
INSERT INTO reports.amount_lines
  (covenant_id, report_id, version, municipality_code, lot_id, product_code, amount_eurocents)
SELECT $1, $2, $3, l.municipality_code, l.lot_id, l.product_code, l.amount_eurocents
  FROM unnest($4::text[], $5::text[], $6::text[], $7::bigint[])
       AS l (municipality_code, lot_id, product_code, amount_eurocents)
