-- The next revision of a document (call with the covenant locked); returns its number.
INSERT INTO covenants.documents
  (covenant_id, document_id, revision, kind, title, sha256, size_bytes, media_type, uri,
   recorded_by)
SELECT $1, $2, coalesce(max(d.revision), 0) + 1, $3, $4, $5, $6, $7, $8, $9
FROM covenants.documents d
WHERE d.covenant_id = $1 AND d.document_id = $2
RETURNING revision
