-- Outcome agreements and settlements (docs/adr/0008): the indicator library, agreements with
-- immutable versions, and immutable settlement versions. Money in integer eurocents; the exact
-- derivation of each settlement is kept in its content.

CREATE SCHEMA outcomes;

CREATE TABLE outcomes.indicators (
  indicator_id text PRIMARY KEY,
  title text NOT NULL,
  reference text NOT NULL,
  law text NOT NULL,
  numerator text NOT NULL,
  denominator text NOT NULL,
  direction text NOT NULL,
  window_months integer NOT NULL,
  lag_months integer NOT NULL,
  minimum_n integer NOT NULL,
  CONSTRAINT indicator_id_format CHECK (indicator_id ~ '^[a-z][a-z0-9-]{0,39}$'),
  CONSTRAINT indicator_direction CHECK (direction IN ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')),
  CONSTRAINT indicator_law CHECK (law IN ('Jeugdwet', 'Wmo 2015', 'Participatiewet')),
  CONSTRAINT indicator_window CHECK (window_months BETWEEN 1 AND 60),
  CONSTRAINT indicator_lag CHECK (lag_months BETWEEN 0 AND 36),
  CONSTRAINT indicator_minimum_n CHECK (minimum_n > 0)
);

-- The harmonised outcome indicators for youth care (Nederlands Jeugdinstituut with VNG and the
-- sector) and the self-sufficiency matrix (ZRM) for Wmo support.
INSERT INTO outcomes.indicators VALUES
  ('nji-drop-out', 'Drop-out (uitval)',
   'NJi outcome indicators youth care: drop-out', 'Jeugdwet',
   'trajectories ended in the period without agreement of both client and provider',
   'trajectories ended in the period', 'LOWER_IS_BETTER', 12, 0, 10),
  ('nji-satisfaction', 'Client satisfaction about the help (cliënttevredenheid)',
   'NJi outcome indicators youth care: client satisfaction', 'Jeugdwet',
   'clients (or their parents) who rate the help received as satisfactory at its end',
   'clients (or their parents) who answered the satisfaction question at the end of the help',
   'HIGHER_IS_BETTER', 12, 0, 10),
  ('nji-no-further-help', 'No further help needed (geen verdere hulp nodig)',
   'NJi outcome indicators youth care: goal attainment, no further help needed', 'Jeugdwet',
   'trajectories ended in the period after which no further youth care was needed',
   'trajectories ended in the period', 'HIGHER_IS_BETTER', 12, 0, 10),
  ('nji-no-new-start', 'No new start within 12 months (geen nieuwe start)',
   'NJi outcome indicators youth care: goal attainment, no new start within 12 months',
   'Jeugdwet',
   'clients whose trajectory ended in the period and who started no youth care within 12 months',
   'clients whose trajectory ended in the period', 'HIGHER_IS_BETTER', 12, 12, 10),
  ('nji-goals-reached', 'Agreed goals reached (doelrealisatie)',
   'NJi outcome indicators youth care: goal attainment, agreed goals reached', 'Jeugdwet',
   'trajectories ended in the period whose agreed goals were reached',
   'trajectories ended in the period', 'HIGHER_IS_BETTER', 12, 0, 10),
  ('zrm-improvement', 'Self-sufficiency improved (ZRM-verbetering)',
   'Zelfredzaamheid-Matrix (ZRM), 13 domains x 5 levels', 'Wmo 2015',
   'clients whose ZRM score improved on a domain of their support plan and declined on none',
   'clients with a ZRM measurement at intake and at evaluation in the period',
   'HIGHER_IS_BETTER', 12, 0, 10);

CREATE TABLE outcomes.agreements (
  covenant_id text NOT NULL REFERENCES covenants.covenants (covenant_id),
  lot_id text NOT NULL,
  agreement_id text NOT NULL,
  -- NULL: every provider of the lot.
  provider_kvk text REFERENCES providers.providers (kvk_number),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (covenant_id, lot_id, agreement_id),
  CONSTRAINT agreement_id_format CHECK (agreement_id ~ '^[a-z][a-z0-9-]{0,39}$')
);

-- One immutable row per version; version 1 has no amendment, every later one cites the adopted
-- amendment that made it (once per amendment).
CREATE TABLE outcomes.agreement_versions (
  covenant_id text NOT NULL,
  lot_id text NOT NULL,
  agreement_id text NOT NULL,
  version integer NOT NULL,
  effective_date date NOT NULL,
  amendment_id integer,
  -- The Agreement message in its protobuf JSON mapping.
  content jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (covenant_id, lot_id, agreement_id, version),
  FOREIGN KEY (covenant_id, lot_id, agreement_id)
    REFERENCES outcomes.agreements (covenant_id, lot_id, agreement_id),
  FOREIGN KEY (covenant_id, amendment_id) REFERENCES covenants.amendments (covenant_id, amendment_id),
  UNIQUE (covenant_id, lot_id, agreement_id, amendment_id),
  CONSTRAINT agreement_version_positive CHECK (version > 0),
  CONSTRAINT agreement_version_cites_amendment CHECK ((version = 1) = (amendment_id IS NULL))
);

-- One immutable row per version; the newest is current, the others are superseded.
CREATE TABLE outcomes.settlements (
  covenant_id text NOT NULL,
  settlement_id text NOT NULL,
  version integer NOT NULL,
  period text NOT NULL,
  provider_kvk text NOT NULL REFERENCES providers.providers (kvk_number),
  lot_id text NOT NULL,
  agreement_id text NOT NULL,
  agreement_version integer NOT NULL,
  inputs_digest text NOT NULL,
  total_eurocents bigint NOT NULL,
  -- The Settlement message in its protobuf JSON mapping: inputs, every intermediate value, amounts.
  content jsonb NOT NULL,
  run_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (covenant_id, settlement_id, version),
  FOREIGN KEY (covenant_id, lot_id, agreement_id, agreement_version)
    REFERENCES outcomes.agreement_versions (covenant_id, lot_id, agreement_id, version),
  CONSTRAINT settlement_version_positive CHECK (version > 0),
  CONSTRAINT settlement_period_year CHECK (period ~ '^[1-9][0-9]{3}$'),
  CONSTRAINT settlement_digest_hex CHECK (inputs_digest ~ '^[0-9a-f]{64}$')
);
CREATE INDEX settlements_by_period ON outcomes.settlements (covenant_id, period, provider_kvk);

CREATE FUNCTION outcomes.versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable: add a version instead', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER agreement_versions_immutable BEFORE UPDATE OR DELETE ON outcomes.agreement_versions
  FOR EACH ROW EXECUTE FUNCTION outcomes.versions_immutable();
CREATE TRIGGER settlements_immutable BEFORE UPDATE OR DELETE ON outcomes.settlements
  FOR EACH ROW EXECUTE FUNCTION outcomes.versions_immutable();
