-- Serialises runs of the settlements $2 (ids, sorted, so that concurrent runs take the locks in
-- one order) of covenant $1 until the transaction ends.
SELECT pg_advisory_xact_lock(hashtextextended('outcomes/settlement/' || $1 || '/' || id, 0))
  FROM unnest($2::text[]) AS id;
