-- The "my orders" read model, built only from ordering's, payment's and shipping's events.

-- Every event order-history received, in the order it was recorded: its own event log. The model is a
-- pure function of these rows, so a rebuild replays this table and needs nothing from the broker.
CREATE TABLE received_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  order_id uuid NOT NULL,
  -- The time the event's data states (placedAt, changedAt...): the projection's canonical order.
  occurred_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX received_events_order_idx ON received_events (order_id);

-- One row per order whose OrderPlaced has arrived: the summary as the API answers it.
CREATE TABLE order_summaries (
  order_id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  placed_at timestamptz NOT NULL,
  summary jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
-- "My orders", newest first.
CREATE INDEX order_summaries_customer_idx ON order_summaries (customer_id, placed_at DESC, order_id DESC);
