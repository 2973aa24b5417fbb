-- The first instant (epoch microseconds) after the Dutch day $1.
SELECT (extract(epoch FROM (($1::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')) * 1000000)::bigint
