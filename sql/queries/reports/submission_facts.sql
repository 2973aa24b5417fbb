-- What a submission by provider $1 with request id $2 to covenant $3 for the period $4 .. $5 is
-- checked against, in one statement and so one snapshot (docs/adr/0017). $6 lists the versions of
-- the covenant whose terms the server holds already:
--   0-3: the version an earlier request with that id stored, with its content digest (NULLs when
--        there is none),
--   4:   today in the Netherlands,
--   5:   the lots (a text array) in which the provider takes part (active, suspended, or ended
--        after the start) on some day of the period,
--   6-:  the covenant with the version in force at the period's end, in the columns of
--        get_covenant.sql (NULLs when there is no such covenant); its terms (column 18) are NULL
--        when that version is one of $6 and published, since a published version never changes
--        (V0003): they are several kB of JSON, and the server asks for them once.
SELECT e.covenant_id, e.report_id, e.version, e.content_digest,
       (now() AT TIME ZONE 'Europe/Amsterdam')::date::text AS today,
       ARRAY(SELECT p.lot_id
               FROM providers.participations p
              WHERE p.covenant_id = $3 AND p.kvk_number = $1 AND p.in_force_from <= $5::date
                AND (p.end_date IS NULL OR p.end_date >= $4::date)
              ORDER BY p.lot_id) AS lots,
       c.covenant_id, c.state, c.owner_municipality, c.owner_region, c.etag, c.created_at_us,
       c.updated_at_us, c.published_at_us, c.municipality_codes, c.region_id, c.version,
       c.effective_from_text,
       CASE WHEN c.state <> 'draft' AND c.version = ANY ($6::integer[]) THEN NULL
            ELSE c.terms_text END AS terms_text,
       c.extensions_used, c.terminated_on_text, c.termination_reason, c.terminated_by
  FROM (VALUES (1)) AS one (row)
  LEFT JOIN reports.reports e ON e.provider_kvk = $1 AND e.request_id = $2
  LEFT JOIN covenants.covenant_as_of($3, $5) c ON true
