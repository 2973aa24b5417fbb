INSERT INTO audit.chain (seq, event_id, entry_hash) VALUES ($1, $2, $3)
