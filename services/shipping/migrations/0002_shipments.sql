-- Shipments: one per approved order, created on ordering.OrderApproved.v1 and moved along by the
-- courier's signed status updates. Every status change is published as
-- shipping.ShipmentStatusChanged.v1 through the outbox, in the transaction that makes it.

CREATE TABLE shipments (
  id uuid PRIMARY KEY,
  -- One shipment per order: a redelivered or replayed OrderApproved finds it and creates nothing.
  order_id uuid NOT NULL UNIQUE,
  customer_id uuid NOT NULL,
  tracking_number text NOT NULL UNIQUE CHECK (tracking_number ~ '^TH[0-9]{13}$'),
  courier text NOT NULL,
  option text NOT NULL CHECK (option IN ('standard', 'express')),
  -- The order's copy of the address, as it was when the order was approved.
  address jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('created', 'dispatched', 'in_transit', 'delivered', 'cancelled')),
  -- The courier's side, which is not in our transactions: a pickup to book, booked, to call off, called off.
  pickup_state text NOT NULL CHECK (pickup_state IN ('to_book', 'booked', 'to_cancel', 'cancelled')),
  -- When the pickup desk may next try the courier; a desk that takes the row pushes it ahead (its lease).
  pickup_due_at timestamptz NOT NULL,
  pickup_attempts integer NOT NULL DEFAULT 0,
  pickup_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX shipments_pickup_due ON shipments (pickup_due_at) WHERE pickup_state IN ('to_book', 'to_cancel');
CREATE INDEX shipments_customer ON shipments (customer_id);

-- Each status a shipment reached, once, oldest first: the tracking timeline.
CREATE TABLE shipment_timeline (
  shipment_id uuid NOT NULL REFERENCES shipments (id),
  status text NOT NULL,
  at timestamptz NOT NULL,
  position bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (shipment_id, status)
);

-- Orders cancelled before shipping heard of their approval: a later OrderApproved ships nothing.
CREATE TABLE cancelled_orders (
  order_id uuid PRIMARY KEY,
  cancelled_at timestamptz NOT NULL
);

-- Signatures of courier updates already accepted: the same signed request sent again is a replay.
-- Kept a little longer than the timestamps are accepted, after which a replay is refused as stale.
CREATE TABLE courier_signatures_seen (
  signature text PRIMARY KEY,
  received_at timestamptz NOT NULL
);
CREATE INDEX courier_signatures_seen_received ON courier_signatures_seen (received_at);
