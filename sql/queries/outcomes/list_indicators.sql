-- Indicators by id ($1, or every one when ''), after $2, at most $3.
SELECT indicator_id, title, reference, law, numerator, denominator, direction, window_months,
       lag_months, minimum_n
  FROM outcomes.indicators
 WHERE ($1 = '' OR indicator_id = $1) AND indicator_id > $2
 ORDER BY indicator_id
 LIMIT $3;
