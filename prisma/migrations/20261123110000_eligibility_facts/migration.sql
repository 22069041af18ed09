-- Issue 8: the facts of each participant's latest eligibility decision, the population that
-- POST /v1/rule-sets/:id/simulate evaluates candidate rule sets over. Pseudonymous (no direct
-- identifiers) and not application-encrypted: see the model's comment in schema.prisma.

-- CreateEnum
CREATE TYPE "IdentityStatus" AS ENUM ('MATCH', 'MISMATCH', 'NOT_FOUND', 'DECEASED');

-- CreateTable
CREATE TABLE "EligibilityFacts" (
    "participantId" UUID NOT NULL,
    "dateOfBirth" DATE NOT NULL,
    "isStudent" BOOLEAN NOT NULL,
    "socialAidPrograms" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "onLaidOffList" BOOLEAN NOT NULL,
    "employmentStatus" "EmploymentStatus" NOT NULL,
    "microBusinessLostIncome" BOOLEAN NOT NULL,
    "province" TEXT NOT NULL,
    "previousParticipations" INTEGER NOT NULL,
    "identityStatus" "IdentityStatus" NOT NULL,
    "channel" "RegistrationChannel" NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "ruleSetId" UUID NOT NULL,
    "ruleSetVersion" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "priorityPoints" INTEGER NOT NULL,

    CONSTRAINT "EligibilityFacts_pkey" PRIMARY KEY ("participantId")
);

-- AddForeignKey
ALTER TABLE "EligibilityFacts" ADD CONSTRAINT "EligibilityFacts_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
