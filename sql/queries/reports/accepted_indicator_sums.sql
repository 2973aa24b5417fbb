-- Per indicator, numerators and denominators summed over every municipality of the lot ($5) in
-- the accepted quarterly reports of a provider ($2) within a period ($3 .. $4) of a covenant ($1).
SELECT l.indicator_id, sum(l.numerator)::bigint, sum(l.denominator)::bigint
  FROM reports.accepted_versions a
  JOIN reports.indicator_lines l
    ON (l.covenant_id, l.report_id, l.version) = (a.covenant_id, a.report_id, a.version)
 WHERE a.covenant_id = $1 AND a.provider_kvk = $2 AND a.kind = 'QUARTERLY'
   AND a.period_start >= $3::date AND a.period_end <= $4::date AND l.lot_id = $5
 GROUP BY l.indicator_id
 ORDER BY l.indicator_id;
