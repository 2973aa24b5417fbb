SELECT k.seq, k.head_hash, (extract(epoch FROM k.signed_at) * 1000000)::bigint AS signed_at_us,
       k.key_id, k.signature
FROM audit.checkpoints k
WHERE k.seq > $1
ORDER BY k.seq
LIMIT $2
