SELECT cv.version, cv.effective_from::text AS effective_from_text,
       (extract(epoch FROM cv.recorded_at) * 1000000)::bigint AS recorded_at_us
FROM covenants.covenant_versions cv
WHERE cv.covenant_id = $1
ORDER BY cv.version
