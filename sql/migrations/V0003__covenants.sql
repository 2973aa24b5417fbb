-- Covenants and their versions (docs/adr/0005-covenant-versions.md).

CREATE TABLE covenants.covenants (
  covenant_id text NOT NULL,
  state text NOT NULL,
  -- Who manages it: a municipality code or a region id, as in the principal's organisation.
  owner_municipality text,
  owner_region text,
  etag bigint NOT NULL DEFAULT 1,
  -- Copied from the newest version, for lists, filters and visibility.
  legal_bases text[] NOT NULL,
  municipalities text[] NOT NULL,
  region_id text,
  start_date date NOT NULL,
  end_date date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  CONSTRAINT covenants_pkey PRIMARY KEY (covenant_id),
  CONSTRAINT covenants_covenant_id_format CHECK (covenant_id ~ '^[a-z][a-z0-9-]{0,62}$'),
  CONSTRAINT covenants_state_known CHECK (
    state IN ('draft', 'published', 'active', 'extended', 'ended', 'terminated')),
  CONSTRAINT covenants_one_owner CHECK ((owner_municipality IS NULL) <> (owner_region IS NULL)),
  CONSTRAINT covenants_owner_municipality_fkey FOREIGN KEY (owner_municipality)
    REFERENCES covenants.municipalities (code),
  CONSTRAINT covenants_owner_region_fkey FOREIGN KEY (owner_region)
    REFERENCES covenants.regions (region_id),
  CONSTRAINT covenants_region_fkey FOREIGN KEY (region_id) REFERENCES covenants.regions (region_id),
  CONSTRAINT covenants_term_ordered CHECK (start_date < end_date),
  CONSTRAINT covenants_published_at_set CHECK ((state = 'draft') = (published_at IS NULL))
);
CREATE INDEX covenants_by_municipality ON covenants.covenants USING gin (municipalities);

-- The terms, one immutable row per version; version 1 may change only while the covenant is a
-- draft.
CREATE TABLE covenants.covenant_versions (
  covenant_id text NOT NULL,
  version integer NOT NULL,
  effective_from date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  terms jsonb NOT NULL,
  CONSTRAINT covenant_versions_pkey PRIMARY KEY (covenant_id, version),
  CONSTRAINT covenant_versions_covenant_fkey FOREIGN KEY (covenant_id)
    REFERENCES covenants.covenants (covenant_id),
  CONSTRAINT covenant_versions_positive CHECK (version > 0)
);
CREATE INDEX covenant_versions_in_force ON covenants.covenant_versions (covenant_id, effective_from);

CREATE FUNCTION covenants.versions_frozen_after_draft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.version = 1 AND NEW.version = 1
     AND NEW.covenant_id = OLD.covenant_id
     AND (SELECT state FROM covenants.covenants WHERE covenant_id = OLD.covenant_id) = 'draft' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'covenant versions are immutable once published (covenant %)', OLD.covenant_id
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER covenant_versions_frozen BEFORE UPDATE OR DELETE ON covenants.covenant_versions
  FOR EACH ROW EXECUTE FUNCTION covenants.versions_frozen_after_draft();
