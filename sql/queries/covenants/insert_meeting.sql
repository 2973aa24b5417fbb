INSERT INTO covenants.meetings
  (covenant_id, meeting_id, state, meeting_date, location, agenda, invitees, scheduled_by)
VALUES ($1, $2, 'scheduled', $3::date, $4, $5::text[], $6::text[], $7)
