-- Indicator lines name indicators of the library without locking the library's rows
-- (docs/adr/0012).
--
-- V0010's foreign key made every inserted indicator line lock its indicator FOR KEY SHARE. All
-- providers report the same few indicators, so concurrent submissions all lock the same rows and
-- PostgreSQL records each new locker of a locked row in a new multixact: at 16 concurrent
-- submissions that cost about 10 ms per report, more than everything else in the database
-- together (docs/performance.md). A lock only protects a referenced row from being deleted or
-- renamed meanwhile; the library is append-only instead (seeded by migrations, no RPC changes it,
-- and the trigger below refuses the rest), so one check per statement without locks is enough.

ALTER TABLE reports.indicator_lines DROP CONSTRAINT indicator_lines_indicator_id_fkey;

-- Refuses an insert or update of indicator lines that names an indicator outside the library,
-- with the error a foreign key gives (foreign_key_violation).
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

CREATE TRIGGER indicator_lines_inserted_name_the_library
  AFTER INSERT ON reports.indicator_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_indicator_references();

CREATE TRIGGER indicator_lines_updated_name_the_library
  AFTER UPDATE ON reports.indicator_lines
  REFERENCING NEW TABLE AS changed_lines
  FOR EACH STATEMENT EXECUTE FUNCTION reports.check_indicator_references();

-- The library only grows: an indicator once there keeps its id (its texts may be corrected).
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

CREATE TRIGGER indicators_are_not_truncated
  BEFORE TRUNCATE ON outcomes.indicators
  FOR EACH STATEMENT EXECUTE FUNCTION outcomes.refuse_indicator_removal();
