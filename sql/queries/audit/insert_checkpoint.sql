INSERT INTO audit.checkpoints (seq, head_hash, signed_at, key_id, signature)
VALUES ($1, $2, timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4, $5)
