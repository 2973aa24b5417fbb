-- Committed events after the chain head ($1 txid, $2 id) that no running transaction can still
-- precede: their transaction is older than the oldest one still in progress (the snapshot's xmin).
SELECT id, txid::text, (extract(epoch FROM occurred_at) * 1000000)::bigint,
       actor_subject, actor_role, actor_organisation, rpc, resource, request_id, request_digest,
       change::text
FROM audit.events
WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
  AND (txid, id) > ($1::xid8, $2::bigint)
ORDER BY txid, id
LIMIT $3
