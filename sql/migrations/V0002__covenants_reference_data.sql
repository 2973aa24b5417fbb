-- Covenants service, reference data: municipalities (gemeenten) and regions (regio's) of
-- municipalities that contract together, with the lead municipality (centrumgemeente).

CREATE SCHEMA covenants;

CREATE TABLE covenants.municipalities (
  code text NOT NULL,
  display_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT municipalities_pkey PRIMARY KEY (code),
  CONSTRAINT municipalities_code_cbs CHECK (code ~ '^[0-9]{4}$'),
  CONSTRAINT municipalities_display_name_length CHECK (length(display_name) BETWEEN 1 AND 100)
);

CREATE TABLE covenants.regions (
  region_id text NOT NULL,
  display_name text NOT NULL,
  lead_municipality text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT regions_pkey PRIMARY KEY (region_id),
  CONSTRAINT regions_region_id_format CHECK (region_id ~ '^[a-z0-9-]{1,40}$'),
  CONSTRAINT regions_display_name_length CHECK (length(display_name) BETWEEN 1 AND 100),
  CONSTRAINT regions_lead_municipality_fkey FOREIGN KEY (lead_municipality)
    REFERENCES covenants.municipalities (code)
);

CREATE TABLE covenants.region_members (
  region_id text NOT NULL,
  municipality text NOT NULL,
  CONSTRAINT region_members_pkey PRIMARY KEY (region_id, municipality),
  CONSTRAINT region_members_region_fkey FOREIGN KEY (region_id)
    REFERENCES covenants.regions (region_id),
  CONSTRAINT region_members_municipality_fkey FOREIGN KEY (municipality)
    REFERENCES covenants.municipalities (code)
);
CREATE INDEX region_members_by_municipality ON covenants.region_members (municipality, region_id);

-- The lead is one of the members; checked at commit, as the region row comes before its members.
ALTER TABLE covenants.regions
  ADD CONSTRAINT regions_lead_is_member FOREIGN KEY (region_id, lead_municipality)
    REFERENCES covenants.region_members (region_id, municipality)
    DEFERRABLE INITIALLY DEFERRED;
