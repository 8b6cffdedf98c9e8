-- One row per saga instance. Every transition is one UPDATE guarded by `revision`, in the transaction
-- that also records the reply in the inbox and writes the next command to the outbox.
CREATE TABLE saga_instances (
  id text PRIMARY KEY,
  definition text NOT NULL,
  definition_version integer NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'compensating', 'completed', 'compensated')),
  data jsonb NOT NULL,
  -- Each step's name and state, in the definition's order: `[{"name": "reserveStock", "state": "done"}]`.
  steps jsonb NOT NULL,
  -- The index of the step whose command (or compensation) is in flight.
  current_step integer NOT NULL,
  -- The id of the command in flight: only a reply correlated to it is accepted.
  request_id text,
  request_phase text CHECK (request_phase IN ('action', 'compensation')),
  request_attempt integer NOT NULL DEFAULT 0,
  request_sent_at timestamptz,
  deadline_at timestamptz,
  reason text,
  revision integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX saga_instances_request_id ON saga_instances (request_id) WHERE request_id IS NOT NULL;
-- The deadline sweeper reads only instances waiting on a reply.
CREATE INDEX saga_instances_deadline_at ON saga_instances (deadline_at) WHERE deadline_at IS NOT NULL;
CREATE INDEX saga_instances_state ON saga_instances (state, created_at DESC);

-- What each instance sent and received, for operators: append-only.
CREATE TABLE saga_history (
  seq bigserial PRIMARY KEY,
  saga_id text NOT NULL REFERENCES saga_instances (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN ('command', 'reply', 'timeout', 'abort')),
  step text NOT NULL,
  phase text NOT NULL CHECK (phase IN ('action', 'compensation')),
  message_type text,
  message_id text,
  -- The reason of an abort, the attempt of a resent command.
  detail text
);

CREATE INDEX saga_history_saga_id ON saga_history (saga_id, seq);
