-- The number of a covenant's next amendment (call with the covenant locked).
SELECT coalesce(max(a.amendment_id), 0) + 1 AS next_id
FROM covenants.amendments a
WHERE a.covenant_id = $1
