-- Stock per product and the reservations that hold it for orders.
--
-- available = on_hand - reserved. Reserving moves units into `reserved`; committing takes them out of
-- both (they leave with the order); releasing or expiring gives them back. The CHECKs are the last line
-- of defence against overselling: a statement that would oversell fails instead of writing.

CREATE TABLE stock (
  product_id uuid PRIMARY KEY,
  on_hand integer NOT NULL CHECK (on_hand >= 0),
  reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  -- Set when catalog deleted the product: it can no longer be reserved, but reservations already
  -- holding it still commit or release. Also written for a deletion heard before the product itself
  -- (during the first start's bootstrap), so that a stale snapshot page cannot bring it back.
  discontinued_at timestamptz,
  updated_at timestamptz NOT NULL,
  CHECK (reserved <= on_hand)
);

-- One row per order that ever asked inventory anything, so every command is idempotent per order:
--   held      units set aside until expires_at;
--   committed units gone with the order;
--   released  given back (or never held: a release that came first leaves this tombstone, so a late
--             ReserveStock for that order is refused instead of holding stock nobody will release);
--   expired   given back by the sweeper at expires_at;
--   rejected  the reservation was refused (reason, shortages); asking again gets the same answer.
CREATE TABLE reservations (
  order_id uuid PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('held', 'committed', 'released', 'expired', 'rejected')),
  expires_at timestamptz,
  reason text CHECK (reason IN ('OUT_OF_STOCK', 'UNKNOWN_PRODUCT', 'RESERVATION_EXPIRED')),
  shortages jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((state = 'held') <= (expires_at IS NOT NULL)),
  CHECK ((state = 'rejected') = (reason IS NOT NULL))
);

-- What the sweeper scans: held reservations by expiry.
CREATE INDEX reservations_held_expiry_idx ON reservations (expires_at) WHERE state = 'held';
CREATE INDEX reservations_created_idx ON reservations (created_at DESC, order_id);

CREATE TABLE reservation_lines (
  order_id uuid NOT NULL REFERENCES reservations (order_id),
  product_id uuid NOT NULL REFERENCES stock (product_id),
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, product_id)
);

CREATE INDEX reservation_lines_product_idx ON reservation_lines (product_id);

-- Set once the first start filled `stock` from catalog's snapshot; later starts skip the bootstrap.
CREATE TABLE stock_bootstrap (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  products integer NOT NULL,
  completed_at timestamptz NOT NULL
);
