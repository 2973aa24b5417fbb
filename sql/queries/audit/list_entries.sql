SELECT c.seq, c.entry_hash, e.id, e.txid::text AS txid_text,
       (extract(epoch FROM e.occurred_at) * 1000000)::bigint AS occurred_at_us,
       e.actor_subject, e.actor_role, e.actor_organisation, e.rpc, e.resource, e.request_id,
       e.request_digest, e.change::text AS change_text
FROM audit.chain c
JOIN audit.events e ON e.id = c.event_id
WHERE c.seq >= $1
ORDER BY c.seq
LIMIT $2
