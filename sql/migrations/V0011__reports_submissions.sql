-- Accountability reports as providers submit them (docs/adr/0009): who signed each version and
-- how, when it was due, its signals and remarks, its review, and the counts per municipality and
-- lot. V0010's tables and the view reports.accepted_versions keep their meaning.
--
-- The new columns have defaults only so that rows from before this migration stay valid; the
-- reporting service always sets them.

ALTER TABLE reports.reports
  ADD COLUMN request_id text,
  ADD COLUMN submitted_by text NOT NULL DEFAULT '',
  ADD COLUMN due_date date,
  ADD COLUMN late boolean NOT NULL DEFAULT false,
  ADD COLUMN financial_early_warning boolean NOT NULL DEFAULT false,
  ADD COLUMN waiting_list boolean NOT NULL DEFAULT false,
  ADD COLUMN signal_note text NOT NULL DEFAULT '',
  ADD COLUMN remarks text NOT NULL DEFAULT '',
  -- SHA-256 of the canonical bytes the signature covers.
  ADD COLUMN content_digest bytea,
  ADD COLUMN signature bytea,
  ADD COLUMN signer_certificate text,
  ADD COLUMN signer_fingerprint bytea,
  ADD COLUMN review_reason text NOT NULL DEFAULT '',
  ADD COLUMN reviewed_by text NOT NULL DEFAULT '',
  -- A provider's request id names one submission, whatever report it was for.
  ADD CONSTRAINT report_request_unique UNIQUE (provider_kvk, request_id),
  ADD CONSTRAINT report_content_digest_length CHECK (length(content_digest) = 32),
  ADD CONSTRAINT report_fingerprint_length CHECK (length(signer_fingerprint) = 32),
  ADD CONSTRAINT report_signal_note_length CHECK (length(signal_note) <= 2000),
  ADD CONSTRAINT report_remarks_length CHECK (length(remarks) <= 4000);

CREATE INDEX reports_by_provider ON reports.reports (covenant_id, provider_kvk, period_start);

-- One row per municipality and lot of a report version: the counts. The amounts and indicator
-- figures of the same line are in amount_lines and indicator_lines.
CREATE TABLE reports.count_lines (
  covenant_id text NOT NULL,
  report_id text NOT NULL,
  version integer NOT NULL,
  municipality_code text NOT NULL,
  lot_id text NOT NULL,
  clients_in_care bigint NOT NULL,
  inflow bigint NOT NULL,
  outflow bigint NOT NULL,
  unilateral_endings bigint NOT NULL,
  median_waiting_days integer,
  complaints bigint NOT NULL,
  serious_incidents bigint NOT NULL,
  PRIMARY KEY (covenant_id, report_id, version, municipality_code, lot_id),
  FOREIGN KEY (covenant_id, report_id, version)
    REFERENCES reports.reports (covenant_id, report_id, version),
  CONSTRAINT count_line_non_negative CHECK (
    clients_in_care >= 0 AND inflow >= 0 AND outflow >= 0 AND unilateral_endings >= 0
    AND (median_waiting_days IS NULL OR median_waiting_days >= 0)
    AND complaints >= 0 AND serious_incidents >= 0)
);
CREATE INDEX count_lines_by_municipality ON reports.count_lines (covenant_id, municipality_code);
