SELECT seq, head_hash, (extract(epoch FROM signed_at) * 1000000)::bigint, key_id, signature
FROM audit.checkpoints
WHERE seq > $1
ORDER BY seq
LIMIT $2
