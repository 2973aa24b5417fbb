-- Which of the codes in $1 (a text array) are not registered, in the order given.
SELECT given.code
FROM unnest($1::text[]) WITH ORDINALITY AS given (code, position)
WHERE NOT EXISTS (SELECT 1 FROM covenants.municipalities m WHERE m.code = given.code)
ORDER BY given.position
