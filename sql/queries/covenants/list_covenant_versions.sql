-- A covenant's versions, oldest first, with the amendment that made each (none for version 1).
SELECT cv.version, cv.effective_from::text AS effective_from_text,
       (extract(epoch FROM cv.recorded_at) * 1000000)::bigint AS recorded_at_us,
       coalesce(a.amendment_id, 0) AS amendment_number, coalesce(a.meeting_id, 0) AS meeting_number,
       coalesce(a.proposal ->> 'rationale', '') AS rationale_text
FROM covenants.covenant_versions cv
LEFT JOIN covenants.amendments a ON a.covenant_id = cv.covenant_id AND a.version = cv.version
WHERE cv.covenant_id = $1
ORDER BY cv.version
