SELECT cv.terms::text AS terms_text
FROM covenants.covenant_versions cv
WHERE cv.covenant_id = $1 AND cv.version = $2
