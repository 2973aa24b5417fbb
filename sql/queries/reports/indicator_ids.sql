-- The ids of the indicator library.
SELECT indicator_id FROM outcomes.indicators ORDER BY indicator_id
