-- The events of resource $1 and of the resources below it ("$1/..."), on or after the Dutch day $2
-- ('' for all), after event id $3, oldest first, with their place in the chain once sealed (seq 0
-- and no hash while pending); at most $4. Columns as in list_entries.sql.
SELECT coalesce(c.seq, 0), c.entry_hash, e.id, e.txid::text AS txid_text,
       (extract(epoch FROM e.occurred_at) * 1000000)::bigint AS occurred_at_us,
       e.actor_subject, e.actor_role, e.actor_organisation, e.rpc, e.resource, e.request_id,
       e.request_digest, e.change::text AS change_text
  FROM audit.events e
  LEFT JOIN audit.chain c ON c.event_id = e.id
 WHERE (e.resource = $1 OR e.resource LIKE $1 || '/%')
   AND ($2 = '' OR e.occurred_at >= ($2::date::timestamp AT TIME ZONE 'Europe/Amsterdam'))
   AND e.id > $3
 ORDER BY e.id
 LIMIT $4
