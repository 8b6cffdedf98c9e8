-- History rows are written only in the statement that writes their instance (see orchestrator.ts), so the
-- foreign key checked nothing that could fail, while its check locked the instance's row once more for
-- every history row (FOR KEY SHARE, in a transaction already holding it FOR UPDATE). Instances are never
-- deleted; the index on saga_id stays for reading an instance's history.
ALTER TABLE saga_history DROP CONSTRAINT IF EXISTS saga_history_saga_id_fkey;
