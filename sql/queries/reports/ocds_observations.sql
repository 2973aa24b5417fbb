-- The indicator figures of the newest accepted version of each report of covenant $1, summed over
-- municipalities per lot and indicator, with the day the version was accepted.
SELECT a.report_id, a.version, a.provider_kvk, a.period_start::text, a.period_end::text,
       l.lot_id, l.indicator_id, sum(l.numerator)::bigint, sum(l.denominator)::bigint,
       to_char(coalesce(r.reviewed_at, r.submitted_at) AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM reports.accepted_versions a
  JOIN reports.reports r USING (covenant_id, report_id, version)
  JOIN reports.indicator_lines l USING (covenant_id, report_id, version)
 WHERE a.covenant_id = $1
 GROUP BY a.report_id, a.version, a.provider_kvk, a.period_start, a.period_end, l.lot_id,
          l.indicator_id, r.reviewed_at, r.submitted_at
 ORDER BY a.report_id, l.lot_id, l.indicator_id
