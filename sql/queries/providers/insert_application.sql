-- The next application of covenant $1 (call with the covenant locked) in state $7, citing the
-- earlier decision $8 ('' for one submitted through Regie); returns its id.
INSERT INTO providers.applications
  (covenant_id, application_id, kvk_number, window_date, note, state, terms_version, submitted_by,
   earlier_decision)
SELECT $1, coalesce(max(a.application_id), 0) + 1, $2, $3::date, $4, $7, $5, $6, $8
FROM providers.applications a
WHERE a.covenant_id = $1
RETURNING application_id
