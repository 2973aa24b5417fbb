-- The accepted quarterly report versions of a provider ($2) within a period ($3 .. $4) of a
-- covenant ($1) that have lines for the lot ($5).
SELECT a.report_id, a.version
  FROM reports.accepted_versions a
 WHERE a.covenant_id = $1 AND a.provider_kvk = $2 AND a.kind = 'QUARTERLY'
   AND a.period_start >= $3::date AND a.period_end <= $4::date
   AND (EXISTS (SELECT 1 FROM reports.indicator_lines l
                 WHERE (l.covenant_id, l.report_id, l.version) = (a.covenant_id, a.report_id, a.version)
                   AND l.lot_id = $5)
        OR EXISTS (SELECT 1 FROM reports.amount_lines l
                    WHERE (l.covenant_id, l.report_id, l.version) = (a.covenant_id, a.report_id, a.version)
                      AND l.lot_id = $5))
 ORDER BY a.report_id;
