-- Pay at counter: a payment may be a slip the customer pays later at a counter service, with an
-- invoice number, a 15-digit payment code (the barcode is drawn from it) and an expiry.
-- pending → completed (the counter service confirmed) → refunded; pending → expired; pending → voided.
ALTER TABLE payments ADD COLUMN method text NOT NULL DEFAULT 'card' CHECK (method IN ('card', 'counter'));
ALTER TABLE payments DROP CONSTRAINT payments_state_check;
ALTER TABLE payments ADD CONSTRAINT payments_state_check CHECK (
  state IN ('authorized', 'declined', 'captured', 'voided', 'refunded', 'closed', 'pending', 'completed', 'expired')
);
ALTER TABLE payments
  ADD COLUMN invoice_number text UNIQUE,
  ADD COLUMN payment_code text UNIQUE CHECK (payment_code ~ '^[0-9]{15}$'),
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN completed_at timestamptz,
  ADD COLUMN expired_at timestamptz,
  ADD CONSTRAINT payments_counter_slip CHECK (
    method <> 'counter' OR state = 'closed' OR (invoice_number IS NOT NULL AND payment_code IS NOT NULL AND expires_at IS NOT NULL)
  );

-- Invoice numbers: INV-<year>-<number>, one sequence for all years.
CREATE SEQUENCE pay_slip_invoice_numbers;

-- The expiry sweeper reads only slips still waiting to be paid.
CREATE INDEX payments_pending_expiry ON payments (expires_at) WHERE state = 'pending';

-- Every counter-service webhook delivery accepted: a delivery seen before is a replay and is refused.
CREATE TABLE counter_webhook_deliveries (
  delivery_id text PRIMARY KEY,
  payment_code text NOT NULL,
  received_at timestamptz NOT NULL
);
