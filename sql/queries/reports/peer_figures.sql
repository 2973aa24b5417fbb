-- Per provider, indicator $2 summed over the newest accepted quarterly versions of covenant $1
-- whose periods fall within $3 .. $4, in lot $5 ('' for every lot); with the indicator's minimum n
-- and direction.
SELECT a.provider_kvk, sum(l.numerator)::bigint, sum(l.denominator)::bigint, i.minimum_n,
       i.direction
  FROM reports.accepted_versions a
  JOIN reports.indicator_lines l USING (covenant_id, report_id, version)
  JOIN outcomes.indicators i ON i.indicator_id = l.indicator_id
 WHERE a.covenant_id = $1 AND l.indicator_id = $2 AND a.kind = 'QUARTERLY'
   AND a.period_start >= $3::date AND a.period_end <= $4::date
   AND ($5 = '' OR l.lot_id = $5)
 GROUP BY a.provider_kvk, i.minimum_n, i.direction
 ORDER BY a.provider_kvk
