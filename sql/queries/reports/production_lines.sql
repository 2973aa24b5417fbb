-- The amounts declared for municipality $1 in the newest accepted quarterly versions whose periods
-- fall within $2 .. $3, summed per covenant, provider, lot and product code.
SELECT a.covenant_id, a.provider_kvk, p.display_name, m.lot_id, m.product_code,
       sum(m.amount_eurocents)::bigint
  FROM reports.accepted_versions a
  JOIN reports.amount_lines m USING (covenant_id, report_id, version)
  JOIN providers.providers p ON p.kvk_number = a.provider_kvk
 WHERE m.municipality_code = $1 AND a.kind = 'QUARTERLY'
   AND a.period_start >= $2::date AND a.period_end <= $3::date
 GROUP BY a.covenant_id, a.provider_kvk, p.display_name, m.lot_id, m.product_code
 ORDER BY a.covenant_id, a.provider_kvk, m.lot_id, m.product_code
