-- "Who changed what and why" for one resource and the resources below it
-- (AuditService.ListResourceEvents): events by resource name, prefix searches included.
CREATE INDEX events_by_resource ON audit.events (resource text_pattern_ops, id);
