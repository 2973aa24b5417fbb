-- The revisions of documents of covenant $1: of document $2 only when it is not '', and of each
-- document only the newest when $3; ordered by document id and revision, after document id $4,
-- at most $5.
SELECT d.covenant_id, d.document_id, d.revision, d.kind, d.title, d.sha256, d.size_bytes,
       d.media_type, d.uri, d.recorded_by,
       (extract(epoch FROM d.recorded_at) * 1000000)::bigint AS recorded_at_us
FROM covenants.documents d
WHERE d.covenant_id = $1
  AND ($2 = '' OR d.document_id = $2)
  AND d.document_id > $4
  AND (NOT $3 OR d.revision = (SELECT max(n.revision) FROM covenants.documents n
                               WHERE n.covenant_id = d.covenant_id
                                 AND n.document_id = d.document_id))
ORDER BY d.document_id, d.revision
LIMIT $5
