-- The consultation table (overlegtafel) and the amendments it adopts (docs/adr/0006).

CREATE TABLE covenants.meetings (
  covenant_id text NOT NULL,
  meeting_id integer NOT NULL,
  state text NOT NULL,
  meeting_date date NOT NULL,
  location text NOT NULL,
  agenda text[] NOT NULL,
  -- Fixed at scheduling: municipalities/{code} and providers/{kvk}.
  invitees text[] NOT NULL,
  minutes text,
  decisions text[],
  cancellation_reason text,
  scheduled_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT meetings_pkey PRIMARY KEY (covenant_id, meeting_id),
  CONSTRAINT meetings_covenant_fkey FOREIGN KEY (covenant_id)
    REFERENCES covenants.covenants (covenant_id),
  CONSTRAINT meetings_id_positive CHECK (meeting_id > 0),
  CONSTRAINT meetings_state_known CHECK (state IN ('scheduled', 'held', 'cancelled')),
  CONSTRAINT meetings_minutes_when_held CHECK (
    (state = 'held') = (minutes IS NOT NULL AND decisions IS NOT NULL)),
  CONSTRAINT meetings_reason_when_cancelled CHECK (
    (state = 'cancelled') = (cancellation_reason IS NOT NULL))
);

-- An amendment's proposal (title, rationale, effective date and change) is the protobuf JSON
-- mapping of the Amendment message with those fields only; it never changes once proposed.
CREATE TABLE covenants.amendments (
  covenant_id text NOT NULL,
  amendment_id integer NOT NULL,
  state text NOT NULL,
  proposal jsonb NOT NULL,
  effective_from date NOT NULL,
  base_version integer NOT NULL,
  proposed_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  meeting_id integer,
  version integer,
  decided_by text,
  decided_at timestamptz,
  CONSTRAINT amendments_pkey PRIMARY KEY (covenant_id, amendment_id),
  CONSTRAINT amendments_covenant_fkey FOREIGN KEY (covenant_id)
    REFERENCES covenants.covenants (covenant_id),
  CONSTRAINT amendments_meeting_fkey FOREIGN KEY (covenant_id, meeting_id)
    REFERENCES covenants.meetings (covenant_id, meeting_id),
  CONSTRAINT amendments_version_fkey FOREIGN KEY (covenant_id, version)
    REFERENCES covenants.covenant_versions (covenant_id, version),
  CONSTRAINT amendments_version_once UNIQUE (covenant_id, version),
  CONSTRAINT amendments_id_positive CHECK (amendment_id > 0),
  CONSTRAINT amendments_state_known CHECK (state IN ('proposed', 'adopted', 'withdrawn')),
  CONSTRAINT amendments_adoption_recorded CHECK (
    (state = 'adopted') = (meeting_id IS NOT NULL AND version IS NOT NULL)),
  CONSTRAINT amendments_decision_recorded CHECK (
    (state = 'proposed') = (decided_by IS NULL AND decided_at IS NULL))
);
