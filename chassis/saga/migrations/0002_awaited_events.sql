-- A step may wait for an event after a "pending" reply (a pay slip paid days later): phase `event`, with
-- no request in flight (request_id NULL) and a deadline only if the step sets one.
ALTER TABLE saga_instances DROP CONSTRAINT saga_instances_request_phase_check;
ALTER TABLE saga_instances
  ADD CONSTRAINT saga_instances_request_phase_check CHECK (request_phase IN ('action', 'event', 'compensation'));

ALTER TABLE saga_history DROP CONSTRAINT saga_history_kind_check;
ALTER TABLE saga_history
  ADD CONSTRAINT saga_history_kind_check CHECK (kind IN ('command', 'reply', 'event', 'timeout', 'abort'));
ALTER TABLE saga_history DROP CONSTRAINT saga_history_phase_check;
ALTER TABLE saga_history
  ADD CONSTRAINT saga_history_phase_check CHECK (phase IN ('action', 'event', 'compensation'));
