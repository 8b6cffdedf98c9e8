-- Messages each consumer group has handled, written in the same transaction as the handler's effects:
-- a second delivery of the same message conflicts on the key and is dropped.
CREATE TABLE inbox (
  consumer_group text NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, message_id)
);

-- Rows are deleted after a retention far longer than any redelivery window.
CREATE INDEX inbox_handled_at ON inbox (handled_at);
