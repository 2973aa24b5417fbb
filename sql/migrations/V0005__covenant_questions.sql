-- Questions about covenants (nota van inlichtingen): asked by providers, answered and published to
-- everyone at once by the covenant's managers.

CREATE TABLE covenants.questions (
  question_id bigint GENERATED ALWAYS AS IDENTITY,
  covenant_id text NOT NULL,
  text text NOT NULL,
  asked_by_organisation text NOT NULL,
  asked_by text NOT NULL,
  asked_at timestamptz NOT NULL DEFAULT now(),
  answer text,
  answered_by text,
  answered_at timestamptz,
  CONSTRAINT questions_pkey PRIMARY KEY (question_id),
  CONSTRAINT questions_covenant_fkey FOREIGN KEY (covenant_id)
    REFERENCES covenants.covenants (covenant_id),
  CONSTRAINT questions_text_length CHECK (length(text) BETWEEN 1 AND 4000),
  CONSTRAINT questions_answer_length CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 8000),
  CONSTRAINT questions_answered_together CHECK (
    (answer IS NULL) = (answered_at IS NULL) AND (answer IS NULL) = (answered_by IS NULL))
);
CREATE INDEX questions_by_covenant ON covenants.questions (covenant_id, question_id);
