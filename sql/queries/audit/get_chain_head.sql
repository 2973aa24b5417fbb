SELECT c.seq, c.entry_hash, e.txid::text AS txid_text, e.id
FROM audit.chain c
JOIN audit.events e ON e.id = c.event_id
ORDER BY c.seq DESC
LIMIT 1
