-- Report lines name their report version and the indicator library without locking the rows they
-- name (docs/adr/0012).
--
-- V0010's foreign keys made every inserted line lock the row it names FOR KEY SHARE, one check and
-- one lock per line:
-- - All providers report the same few indicators, so concurrent submissions all locked the same
--   library rows, and PostgreSQL records each new locker of a locked row in a new multixact: at 16
--   concurrent submissions that cost about 10 ms per report, more than everything else in the
--   database together.
-- - A report of 10,000 lines locked its own version 10,000 times: about 140 ms of a 420 ms upload.
-- A lock only protects the named row from being deleted or re-keyed meanwhile. Report versions
-- are history and the library only grows, so both now refuse exactly that (triggers below), and
-- one check per statement, without locks, keeps the references valid.

ALTER TABLE reports.indicator_lines DROP CONSTRAINT indicator_lines_indicator_id_fkey;
ALTER TABLE reports.count_lines DROP CONSTRAINT count_lines_covenant_id_report_id_version_fkey;
ALTER TABLE reports.amount_lines DROP CONSTRAINT amount_lines_covenant_id_report_id_version_fkey;
ALTER TABLE reports.indicator_lines
  DROP CONSTRAINT indicator_lines_covenant_id_report_id_version_fkey;

-- Refuses lines (inserted or updated) of a report version that is not stored, with the error a
-- foreign key gives (foreign_key_violation).
CREATE FUNCTION reports.check_version_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  missing record;
BEGIN
  SELECT n.covenant_id, n.report_id, n.version INTO missing
    FROM (SELECT DISTINCT covenant_id, report_id, version FROM changed_lines) n
   WHERE NOT EXISTS (SELECT 1 FROM reports.reports r
                      WHERE r.covenant_id = n.covenant_id AND r.report_id = n.report_id
                        AND r.version = n.version)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a line of %.% names version % of report % of covenant %, which is not stored',
      TG_TABLE_SCHEMA, TG_TABLE_NAME, missing.version, missing.report_id, missing.covenant_id
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
  END IF;
  RETURN NULL;
END;
$$;

-- Refuses indicator lines (inserted or updated) that name an indicator outside the library.
CREATE FUNCTION reports.check_indicator_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  unknown text;
BEGIN
  SELECT n.indicator_id INTO unknown
    FROM changed_lines n
   WHERE NOT EXISTS (SELECT 1 FROM outcomes.indicators i WHERE i.indicator_id = n.indicator_id)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'indicator "%" is not in the indicator library (outcomes.indicators)', unknown
      USING ERRCODE = 'foreign_key_violation', TABLE = 'indicator_lines', SCHEMA = 'reports';
  END IF;
  RETURN NULL;
END;
$$;

-- One trigger per table, check and event: a trigger with a transition table may have only one
-- event. Named like count_lines_insert_check_version_references.
DO $$
DECLARE
  line_check record;
  event text;
BEGIN
  FOR line_check IN
    SELECT * FROM (VALUES ('count_lines', 'check_version_references'),
                          ('amount_lines', 'check_version_references'),
                          ('indicator_lines', 'check_version_references'),
                          ('indicator_lines', 'check_indicator_references'))
                   AS c (table_name, function_name)
  LOOP
    FOREACH event IN ARRAY ARRAY['INSERT', 'UPDATE'] LOOP
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON reports.%I '
                     'REFERENCING NEW TABLE AS changed_lines '
                     'FOR EACH STATEMENT EXECUTE FUNCTION reports.%I()',
                     line_check.table_name || '_' || lower(event) || '_' || line_check.function_name,
                     event, line_check.table_name, line_check.function_name);
    END LOOP;
  END LOOP;
END
$$;

-- What the locks protected against is refused outright: report versions are history (a
-- correction is a new version; reviews change only the review columns), and the indicator library
-- only grows (an indicator's texts may be corrected, its id stays).
CREATE FUNCTION reports.refuse_removal() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% keeps its rows and their keys for good: % is refused', TG_TABLE_SCHEMA,
    TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER reports_keep_their_versions
  BEFORE DELETE OR UPDATE OF covenant_id, report_id, version ON reports.reports
  FOR EACH ROW EXECUTE FUNCTION reports.refuse_removal();
CREATE TRIGGER reports_are_not_truncated BEFORE TRUNCATE ON reports.reports
  FOR EACH STATEMENT EXECUTE FUNCTION reports.refuse_removal();
CREATE TRIGGER indicators_keep_their_ids
  BEFORE DELETE OR UPDATE OF indicator_id ON outcomes.indicators
  FOR EACH ROW EXECUTE FUNCTION reports.refuse_removal();
CREATE TRIGGER indicators_are_not_truncated BEFORE TRUNCATE ON outcomes.indicators
  FOR EACH STATEMENT EXECUTE FUNCTION reports.refuse_removal();
