-- A covenant's meetings after number $2, in order.
SELECT m.covenant_id, m.meeting_id, m.state, m.meeting_date::text AS meeting_date_text,
       m.location, array_to_json(m.agenda)::text AS agenda_json,
       array_to_json(m.invitees)::text AS invitees_json, coalesce(m.minutes, '') AS minutes_text,
       coalesce(array_to_json(m.decisions)::text, '[]') AS decisions_json,
       coalesce(m.cancellation_reason, '') AS cancellation_reason_text, m.scheduled_by,
       (extract(epoch FROM m.created_at) * 1000000)::bigint AS created_at_us,
       (extract(epoch FROM m.updated_at) * 1000000)::bigint AS updated_at_us
FROM covenants.meetings m
WHERE m.covenant_id = $1 AND m.meeting_id > $2
ORDER BY m.meeting_id
LIMIT $3
