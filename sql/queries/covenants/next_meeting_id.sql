-- The number of a covenant's next meeting (call with the covenant locked).
SELECT coalesce(max(m.meeting_id), 0) + 1 AS next_id
FROM covenants.meetings m
WHERE m.covenant_id = $1
