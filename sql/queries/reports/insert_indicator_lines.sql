-- The indicator figures of version $3 of report $2 of covenant $1, one row per array element.
INSERT INTO reports.indicator_lines
  (covenant_id, report_id, version, municipality_code, lot_id, indicator_id, numerator, denominator)
SELECT $1, $2, $3, l.municipality_code, l.lot_id, l.indicator_id, l.numerator, l.denominator
  FROM unnest($4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[])
       AS l (municipality_code, lot_id, indicator_id, numerator, denominator)
