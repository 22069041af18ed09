-- Personal data protection: erasable personal data, key ids for rotation, sealed decision
-- explanations, and the audit of personal-data access.
ALTER TABLE "Participant" ALTER COLUMN "personalData" DROP NOT NULL;
ALTER TABLE "Participant" ALTER COLUMN "personalDataKeyId" DROP NOT NULL;
ALTER TABLE "Participant" ADD COLUMN "payoutAccountKeyId" TEXT;
ALTER TABLE "Participant" ADD COLUMN "pseudonymisedAt" TIMESTAMP(3);
-- The key id is the second part of an envelope v1.<keyId>.<iv>.<ciphertext>.<tag>
UPDATE "Participant" SET "payoutAccountKeyId" = split_part("payoutAccount", '.', 2) WHERE "payoutAccount" IS NOT NULL;
CREATE INDEX "Participant_pseudonymisedAt_exitedAt_idx" ON "Participant"("pseudonymisedAt", "exitedAt");
CREATE INDEX "Participant_pseudonymisedAt_completedAt_idx" ON "Participant"("pseudonymisedAt", "completedAt");

-- Existing explanations stay plain (key id null) until the key-rotation job seals them.
ALTER TABLE "EligibilityDecision" ADD COLUMN "explanationKeyId" TEXT;

CREATE TABLE "PersonalDataAccess" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "fields" TEXT[],
    "reason" TEXT NOT NULL,
    "requestId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PersonalDataAccess_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "PersonalDataAccess_participantId_at_idx" ON "PersonalDataAccess"("participantId", "at");
CREATE INDEX "PersonalDataAccess_at_idx" ON "PersonalDataAccess"("at");
