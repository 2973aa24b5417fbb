-- A covenant with the version in force on $2 (an ISO date; '' for today in the Netherlands): the
-- newest by effective date (the highest version on a tie) among those in effect, or version 1 when
-- none is in effect yet (migration V0018 holds the query).
SELECT * FROM covenants.covenant_as_of($1, $2)
