-- Per provider and indicator, numerators and denominators summed over every municipality of the
-- lot ($4) in the accepted quarterly reports within a period ($2 .. $3) of a covenant ($1).
SELECT a.provider_kvk, l.indicator_id, sum(l.numerator)::bigint, sum(l.denominator)::bigint
  FROM reports.accepted_versions a
  JOIN reports.indicator_lines l
    ON (l.covenant_id, l.report_id, l.version) = (a.covenant_id, a.report_id, a.version)
 WHERE a.covenant_id = $1 AND a.kind = 'QUARTERLY'
   AND a.period_start >= $2::date AND a.period_end <= $3::date AND l.lot_id = $4
 GROUP BY a.provider_kvk, l.indicator_id
 ORDER BY a.provider_kvk, l.indicator_id;
