-- The newest accepted version of each report, kept as a table instead of a view
-- (docs/adr/0011). Every reader of accepted figures (aggregates, budget exhaustion, peer
-- comparison, production statements, OCDS, settlement) starts from reports.accepted_versions;
-- as a DISTINCT ON view it sorted every accepted version of a covenant for each question, however
-- narrow, because filters on provider, kind or period cannot reach inside a DISTINCT ON. The table
-- has the view's name and columns, so the queries that read it are unchanged, and indexes for
-- the questions asked.
--
-- It is maintained in the transaction that reviews a version (sql/queries/reports/
-- refresh_accepted_version.sql calls the function below), so it is never behind the reports.

DROP VIEW reports.accepted_versions;

CREATE TABLE reports.accepted_versions (
  covenant_id text NOT NULL,
  report_id text NOT NULL,
  version integer NOT NULL,
  provider_kvk text NOT NULL,
  kind text NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  PRIMARY KEY (covenant_id, report_id),
  FOREIGN KEY (covenant_id, report_id, version)
    REFERENCES reports.reports (covenant_id, report_id, version)
);
-- Aggregates, budgets, peers and OCDS: a covenant's reports of one kind within a period.
CREATE INDEX accepted_versions_by_period
  ON reports.accepted_versions (covenant_id, kind, period_start);
-- Settlement: one provider's reports within a period.
CREATE INDEX accepted_versions_by_provider
  ON reports.accepted_versions (covenant_id, provider_kvk, kind, period_start);

-- Recomputes the row of report `p_report` of covenant `p_covenant` (every report of the covenant
-- when `p_report` is NULL) from reports.reports: the newest version in state ACCEPTED, or no row.
CREATE FUNCTION reports.refresh_accepted_versions(p_covenant text, p_report text)
RETURNS void LANGUAGE sql AS $$
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
$$;

SELECT reports.refresh_accepted_versions(covenant_id, NULL) FROM covenants.covenants;

