-- AggregateReports from the lines (for a provider's own figures; aggregate_sums.sql answers the
-- same question from the sums kept on write, and must give the same rows): the lines of the newest accepted version of each report of covenant $1 of
-- kind $7, filtered by provider $2, lot $3, municipality $4, periods within $5 .. $6 and the
-- municipalities $10 in the caller's scope (each '' for any), summed per value of the dimensions
-- $8 and $9 ('LOT', 'MUNICIPALITY', 'PERIOD' (the period's first day) or '' for none): the cells,
-- the subtotals per value of each dimension and the grand total, each with its number of distinct
-- providers. grouping_1 and grouping_2 are 1 where a row totals over that dimension.
WITH lines AS (
  SELECT CASE $8 WHEN 'LOT' THEN l.lot_id WHEN 'MUNICIPALITY' THEN l.municipality_code
                 WHEN 'PERIOD' THEN a.period_start::text ELSE '' END AS dimension_1,
         CASE $9 WHEN 'LOT' THEN l.lot_id WHEN 'MUNICIPALITY' THEN l.municipality_code
                 WHEN 'PERIOD' THEN a.period_start::text ELSE '' END AS dimension_2,
         a.provider_kvk, l.clients_in_care, l.inflow, l.outflow, l.unilateral_endings,
         l.complaints, l.serious_incidents, l.declared_eurocents AS declared
    FROM reports.accepted_versions a
    JOIN reports.declared_count_lines l USING (covenant_id, report_id, version)
   WHERE a.covenant_id = $1
     AND ($2 = '' OR a.provider_kvk = $2)
     AND ($3 = '' OR l.lot_id = $3)
     AND ($4 = '' OR l.municipality_code = $4)
     AND ($5 = '' OR a.period_start >= $5::date)
     AND ($6 = '' OR a.period_end <= $6::date)
     AND a.kind = $7
     AND ($10 = '' OR l.municipality_code = ANY ($10::text[])))
SELECT dimension_1, dimension_2, GROUPING(dimension_1), GROUPING(dimension_2),
       count(DISTINCT provider_kvk)::integer, sum(clients_in_care)::bigint, sum(inflow)::bigint,
       sum(outflow)::bigint, sum(unilateral_endings)::bigint, sum(complaints)::bigint,
       sum(serious_incidents)::bigint, sum(declared)::bigint
  FROM lines
 GROUP BY GROUPING SETS ((dimension_1, dimension_2), (dimension_1), (dimension_2), ())
