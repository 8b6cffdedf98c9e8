-- Messages a consumer group gave up on: unreadable, of an unknown type or version, with invalid data,
-- or failing their handler after every retry. Listed and replayed by operators.
CREATE TABLE dead_letters (
  id uuid PRIMARY KEY,
  consumer_group text NOT NULL,
  -- The CloudEvent id when the body could be read, else the transport's message id.
  message_id text NOT NULL,
  topic text NOT NULL,
  key text NOT NULL,
  type text,
  body bytea NOT NULL,
  failure text NOT NULL CHECK (failure IN ('malformed', 'unknown-type', 'unknown-version', 'invalid-data', 'handler-failed')),
  reason text NOT NULL,
  attempts integer NOT NULL,
  first_failed_at timestamptz NOT NULL,
  last_failed_at timestamptz NOT NULL,
  replayed_at timestamptz,
  replay_count integer NOT NULL DEFAULT 0,
  -- The same message failing again (after a replay, or redelivered) updates its one row.
  UNIQUE (consumer_group, message_id)
);

CREATE INDEX dead_letters_waiting ON dead_letters (id DESC) WHERE replayed_at IS NULL;
