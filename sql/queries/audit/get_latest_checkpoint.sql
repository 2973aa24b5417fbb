SELECT seq, head_hash, (extract(epoch FROM signed_at) * 1000000)::bigint, key_id, signature
FROM audit.checkpoints
ORDER BY seq DESC
LIMIT 1
