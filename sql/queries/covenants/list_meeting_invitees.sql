-- Who is invited to a covenant's consultation table: its municipalities, in the order of the
-- terms. (Participating providers join this list with the admissions that create them.)
SELECT 'municipalities/' || code AS invitee
FROM covenants.covenants c, unnest(c.municipalities) WITH ORDINALITY AS m(code, position)
WHERE c.covenant_id = $1
ORDER BY m.position
