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

CREATE TRIGGER count_lines_inserted_name_a_version AFTER INSERT ON reports.count_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_version_references();
CREATE TRIGGER count_lines_updated_name_a_version AFTER UPDATE ON reports.count_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_version_references();
CREATE TRIGGER amount_lines_inserted_name_a_version AFTER INSERT ON reports.amount_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_version_references();
CREATE TRIGGER amount_lines_updated_name_a_version AFTER UPDATE ON reports.amount_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_version_references();
CREATE TRIGGER indicator_lines_inserted_name_a_version AFTER INSERT ON reports.indicator_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_version_references();
CREATE TRIGGER indicator_lines_updated_name_a_version AFTER UPDATE ON reports.indicator_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_version_references();
CREATE TRIGGER indicator_lines_inserted_name_the_library AFTER INSERT ON reports.indicator_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_indicator_references();
CREATE TRIGGER indicator_lines_updated_name_the_library AFTER UPDATE ON reports.indicator_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_indicator_references();

-- What the locks protected against is refused outright: report versions are history (a
-- correction is a new version; reviews change only the review columns), and the indicator library
-- only grows (an indicator's texts may be corrected, its id stays).
CREATE FUNCTION reports.refuse_version_removal() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report versions are kept for good: % on reports.reports is refused', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER reports_keep_their_versions
  BEFORE DELETE OR UPDATE OF covenant_id, report_id, version ON reports.reports
  FOR EACH ROW EXECUTE FUNCTION reports.refuse_version_removal();
CREATE TRIGGER reports_are_not_truncated BEFORE TRUNCATE ON reports.reports
  FOR EACH STATEMENT EXECUTE FUNCTION reports.refuse_version_removal();

CREATE FUNCTION outcomes.refuse_indicator_removal() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the indicator library is append-only: % on outcomes.indicators is refused',
    TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER indicators_keep_their_ids
  BEFORE DELETE OR UPDATE OF indicator_id ON outcomes.indicators
  FOR EACH ROW EXECUTE FUNCTION outcomes.refuse_indicator_removal();
CREATE TRIGGER indicators_are_not_truncated BEFORE TRUNCATE ON outcomes.indicators
  FOR EACH STATEMENT EXECUTE FUNCTION outcomes.refuse_indicator_removal();
