SELECT c.seq, c.entry_hash, e.id, e.txid::text, (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
       e.actor_subject, e.actor_role, e.actor_organisation, e.rpc, e.resource, e.request_id,
       e.request_digest, e.change::text
FROM audit.chain c
JOIN audit.events e ON e.id = c.event_id
WHERE c.seq >= $1
ORDER BY c.seq
LIMIT $2
