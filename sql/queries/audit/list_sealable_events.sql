-- Committed events after the chain head ($1 txid, $2 id) that no running transaction can still
-- precede: their transaction is older than the oldest one still in progress (the snapshot's xmin).
-- Output columns carry their own names: a bare ORDER BY name would otherwise bind to the text
-- rendering of txid and sort 1000 before 999.
SELECT e.id, e.txid::text AS txid_text,
       (extract(epoch FROM e.occurred_at) * 1000000)::bigint AS occurred_at_us,
       e.actor_subject, e.actor_role, e.actor_organisation, e.rpc, e.resource, e.request_id,
       e.request_digest, e.change::text AS change_text
FROM audit.events e
WHERE e.txid < pg_snapshot_xmin(pg_current_snapshot())
  AND (e.txid, e.id) > ($1::xid8, $2::bigint)
ORDER BY e.txid, e.id
LIMIT $3
