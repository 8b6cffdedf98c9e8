-- The shipping rate table: one row per delivery option, replaced as a whole by administrators
-- (PUT /admin/rates), each replacement announced as shipping.ShippingRatesChanged.v1 through the outbox.

CREATE TABLE shipping_rates (
  option text PRIMARY KEY CHECK (option IN ('standard', 'express')),
  -- Money: integer minor units (satang); the currency is THB throughout.
  fee_amount bigint NOT NULL CHECK (fee_amount >= 0),
  -- An order whose subtotal is at least this ships free; NULL: never free.
  free_from_amount bigint CHECK (free_from_amount >= 0),
  min_days integer NOT NULL CHECK (min_days > 0),
  max_days integer NOT NULL CHECK (max_days >= min_days),
  -- The order the options are shown in (cheapest, slowest first).
  position integer NOT NULL UNIQUE
);

-- The opening rates: standard 50 THB, free from 1,000 THB; express 120 THB, never free.
INSERT INTO shipping_rates (option, fee_amount, free_from_amount, min_days, max_days, position) VALUES
  ('standard', 5000, 100000, 2, 4, 1),
  ('express', 12000, NULL, 1, 1, 2);

-- Whether the rate table has been announced at least once. Replicas (ordering's) follow the rates
-- through events; the table above was written by a migration, which cannot publish, so the service
-- announces it on its first start. One row, locked by the instance that announces.
CREATE TABLE rates_announcement (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  announced_at timestamptz
);
INSERT INTO rates_announcement (singleton, announced_at) VALUES (true, NULL);
