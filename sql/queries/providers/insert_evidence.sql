-- The next revision of a piece of evidence (call with the provider locked); returns its number.
INSERT INTO providers.evidence
  (kvk_number, evidence_id, revision, kind, title, issue_date, expiry_date, sha256, recorded_by)
SELECT $1, $2, coalesce(max(e.revision), 0) + 1, $3, $4, $5::date, nullif($6, '')::date, $7, $8
FROM providers.evidence e
WHERE e.kvk_number = $1 AND e.evidence_id = $2
RETURNING revision
