-- Stores the next versions of one or more reports, each SUBMITTED with its lines and its audit
-- event, in one statement (docs/adr/0017): the submissions that arrived together (docs/adr/0018).
-- Every parameter is an array. $1-$18 have one element per submission, in the order of
-- reports.insert_next_version's arguments; the submissions must come in the order of (covenant,
-- report), so that concurrent batches take the reports' locks in one order, and a report must not
-- come twice. Lines have one element each and name their submission by its
-- position (from 1), then give their columns:
--   $19-$28: count lines (position, municipality code, lot id, then the counts; an empty
--            waiting-days element is NULL), $29-$33: amount lines, $34-$39: indicator figures,
--   $40-$46: each submission's audit event's actor (subject, role, organisation), RPC, resource,
--            request id and request digest, $47: its change (a JSON object each),
--   $48-$49: the facts each submission was checked against (docs/adr/0019): today in the
--            Netherlands and the covenant's etag.
-- Returns, per stored version, the columns of select_versions.sql, its content digest and its
-- submission's position. A submission stores nothing and returns no row when its provider used its
-- request id before, or when the facts it was checked against no longer hold.
WITH submissions AS MATERIALIZED (
  SELECT *
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[],
                $7::text[], $8::text[], $9::date[], $10::boolean[], $11::boolean[],
                $12::boolean[], $13::text[], $14::text[], $15::bytea[], $16::bytea[], $17::text[],
                $18::bytea[], $40::text[], $41::text[], $42::text[], $43::text[], $44::text[],
                $45::text[], $46::bytea[], $47::jsonb[], $48::date[], $49::bigint[])
         WITH ORDINALITY
         AS s (covenant_id, report_id, kvk, kind, period_start, period_end, request_id,
               submitted_by, due_date, late, early_warning, waiting_list, note, remarks, digest,
               signature, certificate, fingerprint, actor_subject, actor_role,
               actor_organisation, rpc, resource, event_request_id, request_digest, change,
               checked_today, checked_etag, n)
), outside_lots AS (
  -- The submissions with a line in a lot in which their provider does not take part on any day
  -- of the period (as submission_facts.sql reads the lots).
  SELECT DISTINCT s.n
    FROM (SELECT DISTINCT u.n, u.lot_id FROM unnest($19::bigint[], $21::text[]) AS u (n, lot_id)) l
    JOIN submissions s ON s.n = l.n
   WHERE NOT EXISTS (
           SELECT FROM providers.participations p
            WHERE p.covenant_id = s.covenant_id AND p.kvk_number = s.kvk AND p.lot_id = l.lot_id
              AND p.in_force_from <= s.period_end
              AND (p.end_date IS NULL OR p.end_date >= s.period_start))
), current AS MATERIALIZED (
  -- The submissions whose facts hold in this statement's snapshot: today; the covenant unchanged,
  -- its versions included, since every change to a covenant takes a new etag
  -- (set_covenant_state.sql); the provider taking part in every lot its lines name.
  SELECT s.*
    FROM submissions s
   WHERE s.checked_today = (now() AT TIME ZONE 'Europe/Amsterdam')::date
     AND EXISTS (SELECT FROM covenants.covenants c
                  WHERE c.covenant_id = s.covenant_id AND c.etag = s.checked_etag)
     AND s.n NOT IN (SELECT o.n FROM outside_lots o)
), stored AS (
  -- One function call per submission, in their order (a nested loop over the materialized list).
  SELECT s.n, v.*
    FROM current s
   CROSS JOIN LATERAL reports.insert_next_version(
         s.covenant_id, s.report_id, s.kvk, s.kind, s.period_start, s.period_end, s.request_id,
         s.submitted_by, s.due_date, s.late, s.early_warning, s.waiting_list, s.note, s.remarks,
         s.digest, s.signature, s.certificate, s.fingerprint) v
), counts AS (
  INSERT INTO reports.count_lines
    (covenant_id, report_id, version, municipality_code, lot_id, clients_in_care, inflow, outflow,
     unilateral_endings, median_waiting_days, complaints, serious_incidents)
  SELECT s.covenant_id, s.report_id, s.version, l.municipality_code, l.lot_id, l.clients_in_care,
         l.inflow, l.outflow, l.unilateral_endings, NULLIF(l.median_waiting_days, '')::integer,
         l.complaints, l.serious_incidents
    FROM unnest($19::bigint[], $20::text[], $21::text[], $22::bigint[], $23::bigint[],
                $24::bigint[], $25::bigint[], $26::text[], $27::bigint[], $28::bigint[])
         AS l (n, municipality_code, lot_id, clients_in_care, inflow, outflow, unilateral_endings,
               median_waiting_days, complaints, serious_incidents)
    JOIN stored s ON s.n = l.n
), amounts AS (
  INSERT INTO reports.amount_lines
    (covenant_id, report_id, version, municipality_code, lot_id, product_code, amount_eurocents)
  SELECT s.covenant_id, s.report_id, s.version, l.municipality_code, l.lot_id, l.product_code,
         l.amount_eurocents
    FROM unnest($29::bigint[], $30::text[], $31::text[], $32::text[], $33::bigint[])
         AS l (n, municipality_code, lot_id, product_code, amount_eurocents)
    JOIN stored s ON s.n = l.n
), indicators AS (
  INSERT INTO reports.indicator_lines
    (covenant_id, report_id, version, municipality_code, lot_id, indicator_id, numerator,
     denominator)
  SELECT s.covenant_id, s.report_id, s.version, l.municipality_code, l.lot_id, l.indicator_id,
         l.numerator, l.denominator
    FROM unnest($34::bigint[], $35::text[], $36::text[], $37::text[], $38::bigint[], $39::bigint[])
         AS l (n, municipality_code, lot_id, indicator_id, numerator, denominator)
    JOIN stored s ON s.n = l.n
), events AS (
  -- The columns of audit/insert_event.sql.
  INSERT INTO audit.events
    (actor_subject, actor_role, actor_organisation, rpc, resource, request_id, request_digest,
     change)
  SELECT i.actor_subject, i.actor_role, i.actor_organisation, i.rpc, i.resource,
         i.event_request_id, i.request_digest,
         i.change || jsonb_build_object('version', s.version)
    FROM stored s
    JOIN submissions i ON i.n = s.n
   ORDER BY s.n
)
SELECT covenant_id, report_id, version, provider_kvk, kind, period_start::text,
       period_end::text, state, (extract(epoch FROM submitted_at) * 1000000)::bigint,
       submitted_by, coalesce(due_date::text, ''), late, financial_early_warning, waiting_list,
       signal_note, remarks, signature, coalesce(signer_certificate, ''), signer_fingerprint,
       review_reason, reviewed_by, coalesce((extract(epoch FROM reviewed_at) * 1000000)::bigint, 0),
       content_digest, n
  FROM stored
 ORDER BY n
