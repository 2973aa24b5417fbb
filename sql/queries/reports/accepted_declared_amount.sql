-- Per provider, the amount declared for the lot ($4), in eurocents, in the accepted quarterly
-- reports within a period ($2 .. $3) of a covenant ($1).
SELECT a.provider_kvk, sum(l.amount_eurocents)::bigint
  FROM reports.accepted_versions a
  JOIN reports.amount_lines l
    ON (l.covenant_id, l.report_id, l.version) = (a.covenant_id, a.report_id, a.version)
 WHERE a.covenant_id = $1 AND a.kind = 'QUARTERLY'
   AND a.period_start >= $2::date AND a.period_end <= $3::date AND l.lot_id = $4
 GROUP BY a.provider_kvk;
