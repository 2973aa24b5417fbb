-- Providers, their evidence, applications for admission, assessments, decisions, objections and
-- participations (docs/adr/0007). No client-level data: providers are organisations.

CREATE SCHEMA providers;

CREATE TABLE providers.providers (
  kvk_number text PRIMARY KEY,
  display_name text NOT NULL,
  -- The Provider message in its protobuf JSON mapping (addresses, contacts, relations, ...).
  profile jsonb NOT NULL,
  etag bigint NOT NULL DEFAULT 1,
  registered_by text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT providers_kvk_format CHECK (kvk_number ~ '^[0-9]{8}$')
);

-- One immutable row per revision.
CREATE TABLE providers.evidence (
  kvk_number text NOT NULL REFERENCES providers.providers (kvk_number),
  evidence_id text NOT NULL,
  revision integer NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  issue_date date NOT NULL,
  expiry_date date,
  sha256 text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kvk_number, evidence_id, revision),
  CONSTRAINT evidence_id_format CHECK (evidence_id ~ '^[a-z][a-z0-9-]{0,62}$'),
  CONSTRAINT evidence_revision_positive CHECK (revision > 0),
  CONSTRAINT evidence_dates_ordered CHECK (expiry_date IS NULL OR expiry_date > issue_date),
  CONSTRAINT evidence_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$')
);

CREATE FUNCTION providers.evidence_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence revisions are immutable (provider %, evidence %)',
    OLD.kvk_number, OLD.evidence_id USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER evidence_immutable BEFORE UPDATE OR DELETE ON providers.evidence
  FOR EACH ROW EXECUTE FUNCTION providers.evidence_immutable();

CREATE TABLE providers.applications (
  covenant_id text NOT NULL REFERENCES covenants.covenants (covenant_id),
  application_id integer NOT NULL,
  kvk_number text NOT NULL REFERENCES providers.providers (kvk_number),
  window_date date NOT NULL,
  note text NOT NULL,
  state text NOT NULL,
  terms_version integer NOT NULL,
  submitted_by text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (covenant_id, application_id),
  CONSTRAINT applications_id_positive CHECK (application_id > 0),
  CONSTRAINT applications_state CHECK (state IN ('SUBMITTED', 'UNDER_REVIEW', 'DECIDED', 'WITHDRAWN'))
);
CREATE INDEX applications_window ON providers.applications (covenant_id, window_date);

-- One row per lot applied for; outcome NULL until decided or withdrawn.
CREATE TABLE providers.lot_decisions (
  covenant_id text NOT NULL,
  application_id integer NOT NULL,
  lot_id text NOT NULL,
  kvk_number text NOT NULL,
  outcome text,
  letter text NOT NULL DEFAULT '',
  decided_by text NOT NULL DEFAULT '',
  decided_at timestamptz,
  notified_at timestamptz,
  in_force_from date,
  PRIMARY KEY (covenant_id, application_id, lot_id),
  FOREIGN KEY (covenant_id, application_id) REFERENCES providers.applications,
  CONSTRAINT lot_decisions_outcome CHECK (outcome IN ('ADMITTED', 'REJECTED', 'WITHDRAWN')),
  CONSTRAINT lot_decisions_decided CHECK (
    outcome IS NULL OR outcome = 'WITHDRAWN' OR (decided_at IS NOT NULL AND letter <> ''))
);
-- At most one open application per provider and lot.
CREATE UNIQUE INDEX lot_decisions_one_open ON providers.lot_decisions (covenant_id, kvk_number, lot_id)
  WHERE outcome IS NULL;

CREATE TABLE providers.assessments (
  covenant_id text NOT NULL,
  application_id integer NOT NULL,
  requirement_id text NOT NULL,
  requirement_revision integer NOT NULL,
  result text NOT NULL,
  motivation text NOT NULL,
  -- [{"evidence": "providers/.../evidence/vog", "revision": 2}, ...]
  evidence jsonb NOT NULL,
  assessor text NOT NULL,
  assessed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (covenant_id, application_id, requirement_id),
  FOREIGN KEY (covenant_id, application_id) REFERENCES providers.applications,
  CONSTRAINT assessments_result CHECK (result IN ('PASS', 'FAIL')),
  CONSTRAINT assessments_fail_motivated CHECK (result = 'PASS' OR motivation <> '')
);

CREATE TABLE providers.objections (
  covenant_id text NOT NULL,
  application_id integer NOT NULL,
  lot_id text NOT NULL,
  objection_no integer NOT NULL,
  kind text NOT NULL,
  filed_date date NOT NULL,
  summary text NOT NULL,
  registered_by text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (covenant_id, application_id, lot_id, objection_no),
  FOREIGN KEY (covenant_id, application_id, lot_id) REFERENCES providers.lot_decisions,
  CONSTRAINT objections_kind CHECK (kind IN ('COMPLAINT', 'OBJECTION', 'APPEAL'))
);

CREATE TABLE providers.participations (
  covenant_id text NOT NULL REFERENCES covenants.covenants (covenant_id),
  kvk_number text NOT NULL REFERENCES providers.providers (kvk_number),
  lot_id text NOT NULL,
  state text NOT NULL,
  in_force_from date NOT NULL,
  application_id integer NOT NULL,
  suspension_reason text NOT NULL DEFAULT '',
  suspended_until date,
  suspension_automatic boolean NOT NULL DEFAULT false,
  suspended_by text NOT NULL DEFAULT '',
  suspended_at timestamptz,
  ending_kind text NOT NULL DEFAULT '',
  end_date date,
  end_reason text NOT NULL DEFAULT '',
  ended_by text NOT NULL DEFAULT '',
  ended_at timestamptz,
  etag bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (covenant_id, kvk_number, lot_id),
  FOREIGN KEY (covenant_id, application_id) REFERENCES providers.applications,
  CONSTRAINT participations_state CHECK (state IN ('ACTIVE', 'SUSPENDED', 'ENDED')),
  CONSTRAINT participations_suspended CHECK (state <> 'SUSPENDED' OR suspension_reason <> ''),
  CONSTRAINT participations_ended CHECK (state <> 'ENDED' OR end_date IS NOT NULL),
  CONSTRAINT participations_ending_kind CHECK (ending_kind IN
    ('', 'NOTICE_BY_PROVIDER', 'NOTICE_BY_MUNICIPALITY', 'DISSOLUTION', 'COVENANT_END'))
);
CREATE INDEX participations_provider ON providers.participations (kvk_number);
