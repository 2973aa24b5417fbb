-- The accepted counts and amounts summed per covenant, kind, period, lot and municipality, kept in
-- the transaction that changes an accepted version (docs/adr/0016). AggregateReports without a
-- provider filter reads these rows instead of every provider's lines: a covenant's whole term of
-- 50 providers x 40 quarters x 50 cells is 2,000 rows here and 100,000 lines in count_lines.
--
-- Counts and amounts add up over periods, lots and municipalities; the number of distinct
-- providers does not. So each row also keeps the set of providers with a line in it, as a bit
-- string: bit n stands for the provider numbered n in the covenant (reports.provider_numbers).
-- A question ORs the sets of its rows and counts the bits, which gives the same number as
-- count(DISTINCT provider_kvk) over the lines.

-- A provider's number in a covenant, given when its first report there is accepted. Numbers are
-- dense from 0, so a covenant's provider sets are as long as it has providers; they are never
-- changed or reused.
CREATE TABLE reports.provider_numbers (
  covenant_id text NOT NULL,
  provider_kvk text NOT NULL,
  number integer NOT NULL,
  PRIMARY KEY (covenant_id, provider_kvk),
  CONSTRAINT provider_number_unique UNIQUE (covenant_id, number),
  CONSTRAINT provider_number_non_negative CHECK (number >= 0)
);

-- Of the newest accepted version of every report of a covenant (reports.accepted_versions): the
-- count lines of one period, lot and municipality summed, with the amounts declared on them.
CREATE TABLE reports.accepted_sums (
  covenant_id text NOT NULL,
  kind text NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  lot_id text NOT NULL,
  municipality_code text NOT NULL,
  -- Bit n (from the left) is set when the provider numbered n has a line here. Sets grow as
  -- providers are numbered, so they differ in length; readers pad them to the covenant's count.
  providers varbit NOT NULL,
  clients_in_care bigint NOT NULL,
  inflow bigint NOT NULL,
  outflow bigint NOT NULL,
  unilateral_endings bigint NOT NULL,
  complaints bigint NOT NULL,
  serious_incidents bigint NOT NULL,
  declared_eurocents bigint NOT NULL,
  PRIMARY KEY (covenant_id, kind, period_start, lot_id, municipality_code)
);

-- Each count line with the sum of the amounts declared on the same municipality and lot of its
-- report version (0 when none).
CREATE VIEW reports.declared_count_lines AS
SELECT l.*, coalesce(m.declared, 0)::bigint AS declared_eurocents
  FROM reports.count_lines l
  LEFT JOIN LATERAL (SELECT sum(x.amount_eurocents) AS declared
                       FROM reports.amount_lines x
                      WHERE (x.covenant_id, x.report_id, x.version, x.municipality_code, x.lot_id)
                            = (l.covenant_id, l.report_id, l.version, l.municipality_code,
                               l.lot_id)) m ON true;

-- `bits` with bit n set, lengthened with zeros when it is shorter than n + 1.
CREATE FUNCTION reports.with_bit(bits varbit, n integer) RETURNS varbit
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT set_bit(CASE WHEN length(bits) > n THEN bits
                      ELSE bits || repeat('0', n + 1 - length(bits))::varbit END, n, 1)
$$;

-- `bits` with bit n cleared.
CREATE FUNCTION reports.without_bit(bits varbit, n integer) RETURNS varbit
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN length(bits) > n THEN set_bit(bits, n, 0) ELSE bits END
$$;

-- The set of the numbers aggregated: bits_of(number) over providers 0, 3 and 4 is B'10011'.
CREATE AGGREGATE reports.bits_of(integer) (
  SFUNC = reports.with_bit, STYPE = varbit, INITCOND = '');

-- Numbers the providers with an accepted version in the covenant (only `p_kvk`, unless it is NULL)
-- that have no number yet, in order of their KvK number. One numbering at a time per covenant (a
-- transaction-level advisory lock), so two reviews cannot give out the same number; the caller
-- runs at READ COMMITTED, so that the numbering after the lock sees the numbers given before it.
CREATE FUNCTION reports.number_providers(p_covenant text, p_kvk text) RETURNS void
LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan  -- see refresh_accepted_versions
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM reports.accepted_versions a
                  WHERE a.covenant_id = p_covenant AND (p_kvk IS NULL OR a.provider_kvk = p_kvk)
                    AND NOT EXISTS (SELECT 1 FROM reports.provider_numbers p
                                     WHERE (p.covenant_id, p.provider_kvk)
                                           = (a.covenant_id, a.provider_kvk))) THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('reports.provider_numbers/' || p_covenant, 0));
  INSERT INTO reports.provider_numbers (covenant_id, provider_kvk, number)
  SELECT p_covenant, n.provider_kvk,
         (SELECT coalesce(max(number) + 1, 0) FROM reports.provider_numbers
           WHERE covenant_id = p_covenant) + row_number() OVER (ORDER BY n.provider_kvk) - 1
    FROM (SELECT DISTINCT provider_kvk FROM reports.accepted_versions
           WHERE covenant_id = p_covenant AND (p_kvk IS NULL OR provider_kvk = p_kvk)
          EXCEPT
          SELECT provider_kvk FROM reports.provider_numbers WHERE covenant_id = p_covenant) n;
END
$$;

-- Adds the lines of version `p_version` of a report to the sums (`p_sign` 1), or takes them away
-- (-1). Taking away clears the provider's bit in a row unless another of its accepted reports
-- still has a line there. Rows are changed in key order, so concurrent reviews lock them in the
-- same order.
CREATE FUNCTION reports.add_to_accepted_sums(p_covenant text, p_report text, p_version integer,
                                             p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  kvk text;
  n integer;
BEGIN
  SELECT r.provider_kvk, p.number INTO kvk, n
    FROM reports.reports r
    JOIN reports.provider_numbers p USING (covenant_id)
   WHERE r.covenant_id = p_covenant AND r.report_id = p_report AND r.version = p_version
     AND p.provider_kvk = r.provider_kvk;
  IF n IS NULL THEN
    RAISE EXCEPTION 'report % of covenant % version % has no numbered provider',
      p_report, p_covenant, p_version;
  END IF;
  INSERT INTO reports.accepted_sums AS s
         (covenant_id, kind, period_start, period_end, lot_id, municipality_code, providers,
          clients_in_care, inflow, outflow, unilateral_endings, complaints, serious_incidents,
          declared_eurocents)
  SELECT r.covenant_id, r.kind, r.period_start, r.period_end, l.lot_id, l.municipality_code,
         CASE WHEN p_sign > 0 THEN reports.with_bit(B'', n) ELSE B'' END,
         p_sign * l.clients_in_care, p_sign * l.inflow, p_sign * l.outflow,
         p_sign * l.unilateral_endings, p_sign * l.complaints, p_sign * l.serious_incidents,
         p_sign * l.declared_eurocents
    FROM reports.reports r
    JOIN reports.declared_count_lines l USING (covenant_id, report_id, version)
   WHERE r.covenant_id = p_covenant AND r.report_id = p_report AND r.version = p_version
   ORDER BY r.kind, r.period_start, l.lot_id, l.municipality_code
  ON CONFLICT (covenant_id, kind, period_start, lot_id, municipality_code) DO UPDATE
     SET providers =
           CASE WHEN p_sign > 0 THEN reports.with_bit(s.providers, n)
                WHEN EXISTS (SELECT 1
                               FROM reports.accepted_versions a
                               JOIN reports.count_lines o USING (covenant_id, report_id, version)
                              WHERE a.covenant_id = s.covenant_id AND a.provider_kvk = kvk
                                AND a.kind = s.kind AND a.period_start = s.period_start
                                AND a.report_id <> p_report AND o.lot_id = s.lot_id
                                AND o.municipality_code = s.municipality_code)
                  THEN s.providers
                ELSE reports.without_bit(s.providers, n) END,
         clients_in_care = s.clients_in_care + excluded.clients_in_care,
         inflow = s.inflow + excluded.inflow,
         outflow = s.outflow + excluded.outflow,
         unilateral_endings = s.unilateral_endings + excluded.unilateral_endings,
         complaints = s.complaints + excluded.complaints,
         serious_incidents = s.serious_incidents + excluded.serious_incidents,
         declared_eurocents = s.declared_eurocents + excluded.declared_eurocents;
END
$$;

-- Recomputes every row of a covenant's sums from its accepted versions (after seeding, and once
-- below for the reports stored before this migration).
CREATE FUNCTION reports.rebuild_accepted_sums(p_covenant text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM reports.number_providers(p_covenant, NULL);
  DELETE FROM reports.accepted_sums WHERE covenant_id = p_covenant;
  INSERT INTO reports.accepted_sums
         (covenant_id, kind, period_start, period_end, lot_id, municipality_code, providers,
          clients_in_care, inflow, outflow, unilateral_endings, complaints, serious_incidents,
          declared_eurocents)
  SELECT a.covenant_id, a.kind, a.period_start, a.period_end, l.lot_id, l.municipality_code,
         reports.bits_of(p.number), sum(l.clients_in_care), sum(l.inflow), sum(l.outflow),
         sum(l.unilateral_endings), sum(l.complaints), sum(l.serious_incidents),
         sum(l.declared_eurocents)
    FROM reports.accepted_versions a
    JOIN reports.provider_numbers p USING (covenant_id, provider_kvk)
    JOIN reports.declared_count_lines l USING (covenant_id, report_id, version)
   WHERE a.covenant_id = p_covenant
   GROUP BY a.covenant_id, a.kind, a.period_start, a.period_end, l.lot_id, l.municipality_code;
END
$$;

-- V0014's function, now also keeping the sums: for one report, the lines of the accepted version
-- it replaces are taken away and those of the new one added; for a whole covenant (`p_report`
-- NULL), everything is recomputed. PL/pgSQL would keep one generic plan for the filters that
-- serve both cases (`p_report IS NULL OR report_id = p_report`), which reads the whole covenant;
-- each call is planned for its own arguments instead.
CREATE OR REPLACE FUNCTION reports.refresh_accepted_versions(p_covenant text, p_report text)
RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  before integer;
  after integer;
  after_kvk text;
BEGIN
  IF p_report IS NULL THEN
    -- A recomputation must not interleave with reviews that add to and take from the same rows:
    -- it waits for the reviews under way and holds the others back until it commits.
    LOCK TABLE reports.accepted_sums IN SHARE ROW EXCLUSIVE MODE;
  END IF;
  SELECT version INTO before FROM reports.accepted_versions
   WHERE covenant_id = p_covenant AND report_id = p_report;
  DELETE FROM reports.accepted_versions
   WHERE covenant_id = p_covenant AND (p_report IS NULL OR report_id = p_report);
  INSERT INTO reports.accepted_versions
         (covenant_id, report_id, version, provider_kvk, kind, period_start, period_end)
  SELECT DISTINCT ON (covenant_id, report_id)
         covenant_id, report_id, version, provider_kvk, kind, period_start, period_end
    FROM reports.reports
   WHERE covenant_id = p_covenant AND (p_report IS NULL OR report_id = p_report)
     AND state = 'ACCEPTED'
   ORDER BY covenant_id, report_id, version DESC;
  IF p_report IS NULL THEN
    PERFORM reports.rebuild_accepted_sums(p_covenant);
    RETURN;
  END IF;
  SELECT version, provider_kvk INTO after, after_kvk FROM reports.accepted_versions
   WHERE covenant_id = p_covenant AND report_id = p_report;
  IF before IS NOT DISTINCT FROM after THEN
    RETURN;
  END IF;
  IF after IS NOT NULL THEN
    PERFORM reports.number_providers(p_covenant, after_kvk);
  END IF;
  IF before IS NOT NULL THEN
    PERFORM reports.add_to_accepted_sums(p_covenant, p_report, before, -1);
  END IF;
  IF after IS NOT NULL THEN
    PERFORM reports.add_to_accepted_sums(p_covenant, p_report, after, 1);
  END IF;
  -- Rows that no provider has a line in any more.
  DELETE FROM reports.accepted_sums s
   USING reports.reports r
   WHERE r.covenant_id = p_covenant AND r.report_id = p_report AND r.version IN (before, after)
     AND (s.covenant_id, s.kind, s.period_start) = (r.covenant_id, r.kind, r.period_start)
     AND bit_count(s.providers) = 0;
END
$$;

SELECT reports.rebuild_accepted_sums(covenant_id) FROM covenants.covenants;
