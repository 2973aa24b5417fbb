-- Contract dates are Dutch calendar dates.
SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date::text AS today
