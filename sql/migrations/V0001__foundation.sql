-- Foundation: the schemas every service shares (docs/architecture.md).
--   auth   certificate revocation (identity itself comes from client certificates)
--   audit  the tamper-evident audit log (docs/adr/0003-audit-log.md)
-- The migration ledger, meta.schema_migrations, is created by regie-migrate itself.

CREATE SCHEMA auth;
CREATE SCHEMA audit;

CREATE TABLE auth.revoked_certificates (
  serial text NOT NULL,
  reason text NOT NULL,
  revoked_at timestamptz NOT NULL DEFAULT now(),
  revoked_by text NOT NULL,
  CONSTRAINT revoked_certificates_pkey PRIMARY KEY (serial),
  CONSTRAINT revoked_certificates_serial_hex CHECK (serial ~ '^[0-9A-F]{1,64}$'),
  CONSTRAINT revoked_certificates_reason_length CHECK (length(reason) BETWEEN 1 AND 500)
);
CREATE INDEX revoked_certificates_newest_first
  ON auth.revoked_certificates (revoked_at DESC, serial DESC);

-- One row per mutation, written in the same transaction as the change. Writers only insert, so
-- concurrent writers never wait for each other here. `id` is assigned before commit and is not the
-- log order; the order is (txid, id), fixed by the sealer once no running transaction can still
-- add an event before it.
CREATE TABLE audit.events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_subject text NOT NULL,
  actor_role text NOT NULL,
  actor_organisation text NOT NULL,
  rpc text NOT NULL,
  resource text NOT NULL,
  request_id text NOT NULL,
  request_digest bytea NOT NULL,
  change jsonb NOT NULL,
  CONSTRAINT events_pkey PRIMARY KEY (id),
  CONSTRAINT events_request_digest_length CHECK (length(request_digest) = 32)
);
CREATE INDEX events_log_order ON audit.events (txid, id);

-- The sealed log: position, event and chained hash. Written only by the sealer.
CREATE TABLE audit.chain (
  seq bigint NOT NULL,
  event_id bigint NOT NULL,
  entry_hash bytea NOT NULL,
  CONSTRAINT chain_pkey PRIMARY KEY (seq),
  CONSTRAINT chain_event_unique UNIQUE (event_id),
  CONSTRAINT chain_event_fkey FOREIGN KEY (event_id) REFERENCES audit.events (id),
  CONSTRAINT chain_seq_positive CHECK (seq > 0),
  CONSTRAINT chain_entry_hash_length CHECK (length(entry_hash) = 32)
);

-- Certificates of the server keys that sign checkpoints.
CREATE TABLE audit.signing_keys (
  key_id bytea NOT NULL,
  certificate_pem text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT signing_keys_pkey PRIMARY KEY (key_id)
);

-- Signed statements "the first seq entries hash to head_hash".
CREATE TABLE audit.checkpoints (
  seq bigint NOT NULL,
  head_hash bytea NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id bytea NOT NULL,
  signature bytea NOT NULL,
  CONSTRAINT checkpoints_pkey PRIMARY KEY (seq),
  CONSTRAINT checkpoints_key_fkey FOREIGN KEY (key_id) REFERENCES audit.signing_keys (key_id)
);

-- The log is append-only. These triggers stop mistakes; whoever can bypass them (a superuser with
-- session_replication_role = replica) is caught by `regie audit verify`.
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit.% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON audit.events
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER chain_append_only BEFORE UPDATE OR DELETE ON audit.chain
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER chain_no_truncate BEFORE TRUNCATE ON audit.chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON audit.checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON audit.checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER signing_keys_append_only BEFORE UPDATE OR DELETE ON audit.signing_keys
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
