-- Stores the next version of report $2 of covenant $1, SUBMITTED, with its lines and its audit
-- event, in one statement (docs/adr/0017); returns the version in the columns of
-- select_versions.sql, then its content digest. Nothing is stored, and nothing returned, when the
-- provider has used the request id before.
--   $3-$18:  the version's columns (reports.insert_next_version),
--   $19-$27: count lines, one per element: municipality codes, lot ids, then the counts (an empty
--            waiting-days element is NULL),
--   $28-$31: amount lines, $32-$36: indicator figures,
--   $37-$43: the audit event's actor (subject, role, organisation), RPC, resource, request id and
--            request digest, $44: its change (a JSON object), to which the version is added.
WITH stored AS (
  SELECT *
    FROM reports.insert_next_version($1, $2, $3, $4, $5::date, $6::date, $7, $8, $9::date, $10,
                                     $11, $12, $13, $14, $15, $16, $17, $18)
), counts AS (
  INSERT INTO reports.count_lines
    (covenant_id, report_id, version, municipality_code, lot_id, clients_in_care, inflow, outflow,
     unilateral_endings, median_waiting_days, complaints, serious_incidents)
  SELECT s.covenant_id, s.report_id, s.version, l.municipality_code, l.lot_id, l.clients_in_care,
         l.inflow, l.outflow, l.unilateral_endings, NULLIF(l.median_waiting_days, '')::integer,
         l.complaints, l.serious_incidents
    FROM stored s
   CROSS JOIN unnest($19::text[], $20::text[], $21::bigint[], $22::bigint[], $23::bigint[],
                     $24::bigint[], $25::text[], $26::bigint[], $27::bigint[])
         AS l (municipality_code, lot_id, clients_in_care, inflow, outflow, unilateral_endings,
               median_waiting_days, complaints, serious_incidents)
), amounts AS (
  INSERT INTO reports.amount_lines
    (covenant_id, report_id, version, municipality_code, lot_id, product_code, amount_eurocents)
  SELECT s.covenant_id, s.report_id, s.version, l.municipality_code, l.lot_id, l.product_code,
         l.amount_eurocents
    FROM stored s
   CROSS JOIN unnest($28::text[], $29::text[], $30::text[], $31::bigint[])
         AS l (municipality_code, lot_id, product_code, amount_eurocents)
), indicators AS (
  INSERT INTO reports.indicator_lines
    (covenant_id, report_id, version, municipality_code, lot_id, indicator_id, numerator,
     denominator)
  SELECT s.covenant_id, s.report_id, s.version, l.municipality_code, l.lot_id, l.indicator_id,
         l.numerator, l.denominator
    FROM stored s
   CROSS JOIN unnest($32::text[], $33::text[], $34::text[], $35::bigint[], $36::bigint[])
         AS l (municipality_code, lot_id, indicator_id, numerator, denominator)
), event AS (
  -- The columns of audit/insert_event.sql.
  INSERT INTO audit.events
    (actor_subject, actor_role, actor_organisation, rpc, resource, request_id, request_digest,
     change)
  SELECT $37, $38, $39, $40, $41, $42, $43, $44::jsonb || jsonb_build_object('version', s.version)
    FROM stored s
)
SELECT covenant_id, report_id, version, provider_kvk, kind, period_start::text, period_end::text,
       state, (extract(epoch FROM submitted_at) * 1000000)::bigint, submitted_by,
       coalesce(due_date::text, ''), late, financial_early_warning, waiting_list, signal_note,
       remarks, signature, coalesce(signer_certificate, ''), signer_fingerprint, review_reason,
       reviewed_by, coalesce((extract(epoch FROM reviewed_at) * 1000000)::bigint, 0),
       content_digest
  FROM stored
