INSERT INTO audit.events
  (actor_subject, actor_role, actor_organisation, rpc, resource, request_id, request_digest, change)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
RETURNING id
