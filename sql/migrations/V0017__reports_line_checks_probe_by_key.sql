-- The statement trigger of V0015 that checks report lines against their version now looks each
-- distinct version of the statement's lines up in the primary key of reports.reports, whatever
-- the table's statistics say (docs/adr/0012, docs/performance.md).
--
-- PL/pgSQL plans a query without parameters once per session and keeps the plan until a table's
-- statistics change. Planned while reports.reports was (nearly) empty, V0015's anti-join becomes a
-- scan of the whole primary key for every statement of lines (EXPLAIN shows it), and a pooled
-- connection keeps that plan while the table grows faster than autovacuum analyses it.
-- pg_stat_statements during the submit benchmark on a new deployment showed the check at 0.6 to
-- 1.2 ms a call, three calls a submission; after this change most of that remained, as waiting for
-- a core (docs/performance.md), so this removes a hazard rather than the bottleneck. Disabling
-- sequential scans alone is not enough: the planner then scans the whole primary key without a
-- condition instead. A lookup with the full key as parameters has only one sensible plan.

CREATE OR REPLACE FUNCTION reports.check_version_references() RETURNS trigger
LANGUAGE plpgsql
SET enable_seqscan = off
AS $$
DECLARE
  named record;
BEGIN
  FOR named IN SELECT DISTINCT covenant_id, report_id, version FROM changed_lines LOOP
    PERFORM 1 FROM reports.reports r
      WHERE r.covenant_id = named.covenant_id AND r.report_id = named.report_id
        AND r.version = named.version;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'a line of %.% names version % of report % of covenant %, which is not stored',
        TG_TABLE_SCHEMA, TG_TABLE_NAME, named.version, named.report_id, named.covenant_id
        USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
