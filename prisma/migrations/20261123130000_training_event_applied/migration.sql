-- A claimed training event counts as applied only once the journey accepted it.
-- Claims made before this column existed were all applied.
ALTER TABLE "TrainingEvent" ADD COLUMN "appliedAt" TIMESTAMP(3);
UPDATE "TrainingEvent" SET "appliedAt" = "receivedAt";
