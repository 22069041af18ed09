-- Relays in several API processes claim outbox rows with a lease (FOR UPDATE SKIP LOCKED), and a
-- row whose start failed waits out its backoff.
ALTER TABLE "WorkflowStartOutbox" ADD COLUMN "claimedUntil" TIMESTAMP(3);
