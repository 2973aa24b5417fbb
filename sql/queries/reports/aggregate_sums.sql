-- AggregateReports from the sums kept on write (docs/adr/0016), for questions without a provider
-- filter: the rows of reports.accepted_sums of covenant $1 of kind $6, filtered by lot $2,
-- municipality $3, periods within $4 .. $5 and the municipalities $9 in the caller's scope (each
-- '' for any), summed per value of the dimensions $7 and $8 ('LOT', 'MUNICIPALITY', 'PERIOD' (the
-- period's first day) or '' for none): the cells, the subtotals per value of each dimension and
-- the grand total, each with its number of distinct providers (the bits of the OR of the rows'
-- provider sets, padded to the covenant's number of providers). The same rows as
-- aggregate_line_sums.sql with no provider filter. grouping_1 and grouping_2 are 1 where a row
-- totals over that dimension.
WITH padding AS (
  SELECT repeat('0', coalesce(max(number) + 1, 0))::varbit AS zeros
    FROM reports.provider_numbers
   WHERE covenant_id = $1),
sums AS (
  SELECT CASE $7 WHEN 'LOT' THEN s.lot_id WHEN 'MUNICIPALITY' THEN s.municipality_code
                 WHEN 'PERIOD' THEN s.period_start::text ELSE '' END AS dimension_1,
         CASE $8 WHEN 'LOT' THEN s.lot_id WHEN 'MUNICIPALITY' THEN s.municipality_code
                 WHEN 'PERIOD' THEN s.period_start::text ELSE '' END AS dimension_2,
         substring(s.providers || p.zeros FROM 1 FOR length(p.zeros)) AS providers,
         s.clients_in_care, s.inflow, s.outflow, s.unilateral_endings, s.complaints,
         s.serious_incidents, s.declared_eurocents
    FROM reports.accepted_sums s, padding p
   WHERE s.covenant_id = $1
     AND s.kind = $6
     AND ($2 = '' OR s.lot_id = $2)
     AND ($3 = '' OR s.municipality_code = $3)
     AND ($4 = '' OR s.period_start >= $4::date)
     AND ($5 = '' OR s.period_end <= $5::date)
     AND ($9 = '' OR s.municipality_code = ANY ($9::text[])))
SELECT dimension_1, dimension_2, GROUPING(dimension_1), GROUPING(dimension_2),
       coalesce(bit_count(bit_or(providers)), 0)::integer, sum(clients_in_care)::bigint,
       sum(inflow)::bigint, sum(outflow)::bigint, sum(unilateral_endings)::bigint,
       sum(complaints)::bigint, sum(serious_incidents)::bigint, sum(declared_eurocents)::bigint
  FROM sums
 GROUP BY GROUPING SETS ((dimension_1, dimension_2), (dimension_1), (dimension_2), ())
