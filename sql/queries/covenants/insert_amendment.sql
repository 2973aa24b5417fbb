INSERT INTO covenants.amendments
  (covenant_id, amendment_id, state, proposal, effective_from, base_version, proposed_by)
VALUES ($1, $2, 'proposed', $3::jsonb, $4::date, $5, $6)
