-- Jobs: a run counter for each scheduled job (so operators and tests can see that a run
-- happened once per interval across nodes) and an index for the outbox's retention job.
ALTER TABLE job_schedule ADD COLUMN runs INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_sent ON outbox(sent_ms) WHERE state = 'sent';
