-- Settlements and agreement versions kept as binary protobuf (docs/adr/0020). A settlement run
-- spent most of the server's time in protobuf's JSON mapping, writing each new settlement and
-- reading back the agreements and the previous settlements (docs/performance.md).
--   - A new settlement is stored in `content_pb` only: every figure a query needs is a column of
--     its own, and people read a settlement through GetSettlement and ExplainSettlement. Rows
--     stored before keep their JSON `content` and are read from it.
--   - An agreement version keeps its JSON `content` too (reports/ocds_agreements.sql reads its
--     indicators) and is read back from `content_pb` when it has one.
ALTER TABLE outcomes.settlements
  ADD COLUMN content_pb bytea,
  ALTER COLUMN content DROP NOT NULL,
  ADD CONSTRAINT settlement_content_kept CHECK (content IS NOT NULL OR content_pb IS NOT NULL);

ALTER TABLE outcomes.agreement_versions ADD COLUMN content_pb bytea;
