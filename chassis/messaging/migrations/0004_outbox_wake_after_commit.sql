-- The relay is no longer woken by a trigger's NOTIFY inside the writing transaction: PostgreSQL commits
-- every notifying transaction one after another under a cluster-wide lock, flush included, which capped
-- every service's write rate at one commit per disk flush. The writer wakes its own relay in-process after
-- commit, and only when another instance runs the relay does it send a NOTIFY, from a transaction of its
-- own that does not wait for the flush (see relay.ts).
DROP TRIGGER outbox_notify ON outbox;
DROP FUNCTION outbox_notify();
