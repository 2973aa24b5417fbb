-- The chain entries of one sealing run in one statement, one per element: entry $1[i] seals event
-- $2[i] with the hash $3[i] (hex).
INSERT INTO audit.chain (seq, event_id, entry_hash)
SELECT e.seq, e.event_id, decode(e.entry_hash_hex, 'hex')
  FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS e (seq, event_id, entry_hash_hex)
