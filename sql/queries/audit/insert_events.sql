-- Several events of one call in one statement: element i of $7 (resources) with element i of $8
-- (changes, JSON objects), numbered in that order.
INSERT INTO audit.events
  (actor_subject, actor_role, actor_organisation, rpc, resource, request_id, request_digest, change)
SELECT $1, $2, $3, $4, e.resource, $5, $6, e.change::jsonb
  FROM unnest($7::text[], $8::text[]) WITH ORDINALITY AS e (resource, change, n)
 ORDER BY e.n
