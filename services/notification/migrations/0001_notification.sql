-- What notification keeps: which customer each order belongs to (payment's events may not say), and
-- every mail it made, whether it went out through SMTP or stayed in the local mailbox.

CREATE TABLE order_customers (
  order_id uuid PRIMARY KEY,
  customer_id uuid NOT NULL
);

CREATE TABLE mails (
  id uuid PRIMARY KEY,
  -- The event the mail is about: one mail per event, whatever the redeliveries.
  event_id uuid NOT NULL UNIQUE,
  kind text NOT NULL,
  order_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  to_address text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  -- 'smtp': handed to the SMTP server; 'mailbox': kept here only (no SMTP_URL configured).
  delivery text NOT NULL CHECK (delivery IN ('smtp', 'mailbox')),
  created_at timestamptz NOT NULL
);
CREATE INDEX mails_to_idx ON mails (to_address, created_at DESC);
CREATE INDEX mails_created_idx ON mails (created_at DESC);
