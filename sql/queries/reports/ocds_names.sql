-- The display name of municipality $1 or else of region $2, and every indicator's title as JSON
-- ({"nji-drop-out": "Drop-out", ...}).
SELECT coalesce((SELECT display_name FROM covenants.municipalities WHERE code = $1),
                (SELECT display_name FROM covenants.regions WHERE region_id = $2), ''),
       (SELECT coalesce(jsonb_object_agg(indicator_id, title), '{}'::jsonb)::text
          FROM outcomes.indicators),
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
