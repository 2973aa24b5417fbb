-- The rest of a covenant's lifecycle: extensions used, and termination (who, why, from when).

ALTER TABLE covenants.covenants
  ADD COLUMN extensions_used integer NOT NULL DEFAULT 0,
  ADD COLUMN terminated_on date,
  ADD COLUMN termination_reason text,
  ADD COLUMN terminated_by text,
  ADD CONSTRAINT covenants_extensions_used_positive CHECK (extensions_used >= 0),
  ADD CONSTRAINT covenants_termination_recorded CHECK (
    (state = 'terminated') = (terminated_on IS NOT NULL AND termination_reason IS NOT NULL
                              AND terminated_by IS NOT NULL));
