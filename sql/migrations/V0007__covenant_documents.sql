-- The documents of a covenant: metadata and the SHA-256 of the content, one immutable row per
-- revision.

CREATE TABLE covenants.documents (
  covenant_id text NOT NULL,
  document_id text NOT NULL,
  revision integer NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  sha256 text NOT NULL,
  size_bytes bigint NOT NULL,
  media_type text NOT NULL,
  uri text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT documents_pkey PRIMARY KEY (covenant_id, document_id, revision),
  CONSTRAINT documents_covenant_fkey FOREIGN KEY (covenant_id)
    REFERENCES covenants.covenants (covenant_id),
  CONSTRAINT documents_id_format CHECK (document_id ~ '^[a-z][a-z0-9-]{0,62}$'),
  CONSTRAINT documents_revision_positive CHECK (revision > 0),
  CONSTRAINT documents_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  CONSTRAINT documents_size_positive CHECK (size_bytes > 0)
);

CREATE FUNCTION covenants.documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'document revisions are immutable (covenant %, document %)',
    OLD.covenant_id, OLD.document_id USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER documents_immutable BEFORE UPDATE OR DELETE ON covenants.documents
  FOR EACH ROW EXECUTE FUNCTION covenants.documents_immutable();
