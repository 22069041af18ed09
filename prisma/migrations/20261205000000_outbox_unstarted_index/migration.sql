-- The relay claims the unstarted rows in ("attempts", "createdAt") order. With an index on
-- ("startedAt", "createdAt") PostgreSQL had to read and sort every unstarted row on each pass:
-- 38 ms a pass at a backlog of 80,000 (an external merge sort spilling to disk), growing with
-- the backlog, and the relay makes hundreds of passes to drain one. This partial index holds the
-- unstarted rows only, in the order of the claim, so a pass reads its batch and stops (3.5 ms at the
-- same backlog), and a started row leaves it. It also serves the count of pending starts
-- (`jalur_workflow_start_outbox_pending`). A Prisma schema cannot declare a partial index (see the note in schema.prisma).
DROP INDEX "WorkflowStartOutbox_startedAt_createdAt_idx";
CREATE INDEX "WorkflowStartOutbox_unstarted_idx" ON "WorkflowStartOutbox" ("attempts", "createdAt") WHERE "startedAt" IS NULL;
