-- One payment per order. A card number never reaches this database: the browser tokenized the card at
-- the provider, and Talad keeps the token, the brand and the last four digits.
CREATE TABLE payments (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL UNIQUE,
  customer_id uuid,
  -- authorized → captured → refunded, authorized → voided, declined; `closed` is a tombstone: a void or
  -- refund came before any authorization, so a later authorization for the order is declined.
  state text NOT NULL CHECK (state IN ('authorized', 'declined', 'captured', 'voided', 'refunded', 'closed')),
  -- Integer minor units; NULL only for a tombstone.
  amount bigint CHECK (amount >= 0),
  currency text CHECK (currency ~ '^[A-Z]{3}$'),
  card_token text,
  brand text,
  last4 text CHECK (last4 ~ '^[0-9]{4}$'),
  provider_authorization_id text UNIQUE,
  decline_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  authorized_at timestamptz,
  captured_at timestamptz,
  voided_at timestamptz,
  refunded_at timestamptz,
  CHECK (state = 'closed' OR (amount IS NOT NULL AND currency IS NOT NULL)),
  CHECK (state <> 'declined' OR decline_reason IS NOT NULL)
);

CREATE INDEX payments_newest ON payments (created_at DESC, id DESC);
