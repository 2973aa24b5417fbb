-- Accountability reports as far as settlement reads them (docs/adr/0008). A report is one
-- provider's report for one period of one covenant, for all its municipalities; a correction is a
-- new version, never an overwrite. Lines hold aggregates only: no client-level data.
-- The reporting service writes these tables; settlement reads them only through the view
-- reports.accepted_versions and the queries in sql/queries/reports/.

CREATE SCHEMA reports;

CREATE TABLE reports.reports (
  covenant_id text NOT NULL REFERENCES covenants.covenants (covenant_id),
  report_id text NOT NULL,
  version integer NOT NULL,
  provider_kvk text NOT NULL REFERENCES providers.providers (kvk_number),
  kind text NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  state text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  reviewed_at timestamptz,
  PRIMARY KEY (covenant_id, report_id, version),
  CONSTRAINT report_id_format CHECK (report_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  CONSTRAINT report_version_positive CHECK (version > 0),
  CONSTRAINT report_kind CHECK (kind IN ('QUARTERLY', 'ANNUAL_PRODUCTION', 'COMPLAINTS_AND_INCIDENTS')),
  CONSTRAINT report_period_ordered CHECK (period_end >= period_start),
  CONSTRAINT report_state CHECK (state IN ('SUBMITTED', 'ACCEPTED', 'QUESTIONED', 'REJECTED'))
);

-- Numerator and denominator of one indicator, per municipality and lot.
CREATE TABLE reports.indicator_lines (
  covenant_id text NOT NULL,
  report_id text NOT NULL,
  version integer NOT NULL,
  municipality_code text NOT NULL,
  lot_id text NOT NULL,
  indicator_id text NOT NULL REFERENCES outcomes.indicators (indicator_id),
  numerator bigint NOT NULL,
  denominator bigint NOT NULL,
  PRIMARY KEY (covenant_id, report_id, version, municipality_code, lot_id, indicator_id),
  FOREIGN KEY (covenant_id, report_id, version)
    REFERENCES reports.reports (covenant_id, report_id, version),
  CONSTRAINT indicator_line_counts CHECK (numerator >= 0 AND denominator >= numerator)
);

-- The amount declared per product code, per municipality and lot, in eurocents.
CREATE TABLE reports.amount_lines (
  covenant_id text NOT NULL,
  report_id text NOT NULL,
  version integer NOT NULL,
  municipality_code text NOT NULL,
  lot_id text NOT NULL,
  product_code text NOT NULL,
  amount_eurocents bigint NOT NULL,
  PRIMARY KEY (covenant_id, report_id, version, municipality_code, lot_id, product_code),
  FOREIGN KEY (covenant_id, report_id, version)
    REFERENCES reports.reports (covenant_id, report_id, version),
  CONSTRAINT amount_line_non_negative CHECK (amount_eurocents >= 0)
);

-- The read interface of settlement: of every report, its newest ACCEPTED version (a correction
-- counts once accepted; until then the version accepted before it does).
CREATE VIEW reports.accepted_versions AS
  SELECT DISTINCT ON (covenant_id, report_id)
         covenant_id, report_id, version, provider_kvk, kind, period_start, period_end
    FROM reports.reports
   WHERE state = 'ACCEPTED'
   ORDER BY covenant_id, report_id, version DESC;
