-- Ordering's own tables. The orders themselves are event streams (the event store's `events` table)
-- and the checkout saga's instances live in the saga chassis's tables, both in this same database.

-- Place-order requests already answered, per customer and Idempotency-Key: a retry with the same key
-- and body gets the stored answer; the same key with another body is refused.
CREATE TABLE idempotency_keys (
  customer_id uuid NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  order_id uuid NOT NULL,
  status_code integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, key)
);

-- Ordering's copy of catalog prices ("storing copy data"), fed by catalog's product events, so placing
-- an order never waits on catalog. A deleted product stays as a tombstone, so an older copy of it
-- (a late snapshot page) cannot bring it back.
CREATE TABLE product_replica (
  id uuid PRIMARY KEY,
  sku text NOT NULL,
  name text NOT NULL,
  price_amount bigint NOT NULL CHECK (price_amount >= 0),
  sizes text[] NOT NULL,
  -- The product's updatedAt in catalog: an older copy never overwrites a newer one.
  updated_at timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false
);

-- Ordering's copy of shipping's rate table, replaced whole by each ShippingRatesChanged.
CREATE TABLE shipping_rate_replica (
  option text PRIMARY KEY,
  fee_amount bigint NOT NULL CHECK (fee_amount >= 0),
  free_from_amount bigint CHECK (free_from_amount >= 0),
  min_days integer NOT NULL,
  max_days integer NOT NULL,
  effective_at timestamptz NOT NULL
);

-- Replicas filled from their owner's snapshot once, on the first start.
CREATE TABLE replica_bootstraps (
  replica text PRIMARY KEY,
  completed_at timestamptz NOT NULL
);
