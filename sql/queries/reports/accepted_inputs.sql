-- Per provider, the accepted quarterly report versions within a period ($2 .. $3) of a covenant
-- ($1) that have lines for the lot ($4).
SELECT a.provider_kvk, a.report_id, a.version
  FROM reports.accepted_versions a
 WHERE a.covenant_id = $1 AND a.kind = 'QUARTERLY'
   AND a.period_start >= $2::date AND a.period_end <= $3::date
   AND (EXISTS (SELECT 1 FROM reports.indicator_lines l
                 WHERE (l.covenant_id, l.report_id, l.version) = (a.covenant_id, a.report_id, a.version)
                   AND l.lot_id = $4)
        OR EXISTS (SELECT 1 FROM reports.amount_lines l
                    WHERE (l.covenant_id, l.report_id, l.version) = (a.covenant_id, a.report_id, a.version)
                      AND l.lot_id = $4))
 ORDER BY a.provider_kvk, a.report_id;
