-- Every event of every stream, in one table. `position` is taken at insert but becomes visible only at
-- commit, so it alone cannot be a reader's cursor (a late commit with a lower position would be skipped).
-- `txid` is the writing transaction's id: readers take only rows of transactions older than every
-- transaction still open, ordered by (txid, position), and keep that pair as their cursor.
CREATE TABLE events (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  -- 1 for a stream's first event; contiguous within a stream.
  version integer NOT NULL CHECK (version > 0),
  event_id uuid NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- Two writers appending at the same expected version collide here: exactly one commits.
  CONSTRAINT events_stream_version UNIQUE (stream_id, version),
  CONSTRAINT events_event_id UNIQUE (event_id)
);

-- The global, committed-only read order.
CREATE INDEX events_global_order ON events (txid, position);

-- How far each projection has read, written in the same transaction as its read model.
CREATE TABLE projection_checkpoints (
  projection text PRIMARY KEY,
  txid xid8 NOT NULL,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
