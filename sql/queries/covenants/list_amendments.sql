-- A covenant's amendments after number $2, in order.
SELECT a.covenant_id, a.amendment_id, a.state, a.proposal::text AS proposal_json, a.base_version,
       a.proposed_by, (extract(epoch FROM a.created_at) * 1000000)::bigint AS created_at_us,
       coalesce(a.meeting_id, 0) AS meeting_number, coalesce(a.version, 0) AS version_number,
       coalesce(a.decided_by, '') AS decided_by_text,
       coalesce((extract(epoch FROM a.decided_at) * 1000000)::bigint, 0) AS decided_at_us
FROM covenants.amendments a
WHERE a.covenant_id = $1 AND a.amendment_id > $2
ORDER BY a.amendment_id
LIMIT $3
