-- Messages a service has decided to send, written in the same transaction as the change they announce.
-- The relay publishes committed rows in seq order and deletes them once the broker has confirmed them:
-- a row that commits late (after rows with a higher seq were published) is still there, unpublished,
-- so nothing can be skipped (see relay.ts for why this and not a transaction-id cursor).
CREATE TABLE outbox (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL,
  topic text NOT NULL,
  key text NOT NULL,
  type text NOT NULL,
  body bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Wakes the active relay (in whichever instance runs it) when a transaction that wrote here commits:
-- notifications are delivered at commit, and identical ones of one transaction are sent once.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('talad_outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
