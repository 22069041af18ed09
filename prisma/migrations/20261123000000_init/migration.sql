-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "EmploymentStatus" AS ENUM ('LAID_OFF', 'FURLOUGHED', 'MICRO_BUSINESS', 'JOB_SEEKER', 'EMPLOYED');

-- CreateEnum
CREATE TYPE "RegistrationChannel" AS ENUM ('SELF', 'ASSISTED');

-- CreateEnum
CREATE TYPE "WaveState" AS ENUM ('SCHEDULED', 'OPEN', 'CLOSED', 'SELECTING', 'SELECTED');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('APPLIED', 'SELECTED', 'NOT_SELECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('TRAINING_CREDIT', 'TRAINING_PURCHASE', 'TRAINING_LAPSE', 'INCENTIVE', 'SURVEY', 'REPAYMENT_DUE');

-- CreateEnum
CREATE TYPE "LedgerStatus" AS ENUM ('PENDING', 'SETTLED', 'REJECTED');

-- CreateEnum
CREATE TYPE "RuleSetStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'RETIRED');

-- CreateTable
CREATE TABLE "Participant" (
    "id" UUID NOT NULL,
    "nikHash" TEXT NOT NULL,
    "personalData" TEXT NOT NULL,
    "personalDataKeyId" TEXT NOT NULL,
    "payoutAccount" TEXT,
    "province" TEXT NOT NULL,
    "employmentStatus" "EmploymentStatus" NOT NULL,
    "microBusinessLostIncome" BOOLEAN NOT NULL DEFAULT false,
    "channel" "RegistrationChannel" NOT NULL,
    "stage" TEXT NOT NULL,
    "stageChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "eligibilityOutcome" TEXT,
    "eligibilityReasons" JSONB,
    "ruleSetId" UUID,
    "ruleSetVersion" INTEGER,
    "priorityPoints" INTEGER,
    "currentWaveId" UUID,
    "photoPath" TEXT,
    "photoContentType" TEXT,
    "emailVerifiedAt" TIMESTAMP(3),
    "nikVerifiedAt" TIMESTAMP(3),
    "eligibleAt" TIMESTAMP(3),
    "appliedAt" TIMESTAMP(3),
    "selectedAt" TIMESTAMP(3),
    "trainingPurchasedAt" TIMESTAMP(3),
    "trainingCompletedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "exitedAt" TIMESTAMP(3),
    "exitReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowStartOutbox" (
    "participantId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "WorkflowStartOutbox_pkey" PRIMARY KEY ("participantId")
);

-- CreateTable
CREATE TABLE "Wave" (
    "id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "opensAt" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    "quota" INTEGER NOT NULL,
    "calendar" JSONB NOT NULL,
    "state" "WaveState" NOT NULL DEFAULT 'SCHEDULED',
    "selectionSeed" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Wave_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WaveApplication" (
    "id" UUID NOT NULL,
    "waveId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "priorityPoints" INTEGER NOT NULL DEFAULT 0,
    "province" TEXT NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'APPLIED',
    "rank" INTEGER,
    "lotteryTicket" TEXT,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "WaveApplication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 1,
    "amount" INTEGER NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" "LedgerStatus" NOT NULL DEFAULT 'PENDING',
    "providerReference" TEXT,
    "failureCode" TEXT,
    "dueAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingEvent" (
    "platformId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "participantId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "price" INTEGER NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingEvent_pkey" PRIMARY KEY ("platformId","eventId")
);

-- CreateTable
CREATE TABLE "EligibilityDecision" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "ruleSetId" UUID NOT NULL,
    "ruleSetVersion" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "priorityPoints" INTEGER NOT NULL,
    "reasons" JSONB NOT NULL,
    "explanation" JSONB NOT NULL,
    "trigger" TEXT NOT NULL,
    "evaluatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EligibilityDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuleSet" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "RuleSetStatus" NOT NULL DEFAULT 'DRAFT',
    "description" TEXT NOT NULL DEFAULT '',
    "rules" JSONB NOT NULL,
    "effectiveFrom" TIMESTAMP(3),
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "RuleSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuleSetAuditEntry" (
    "id" UUID NOT NULL,
    "ruleSetId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "diff" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuleSetAuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Participant_nikHash_key" ON "Participant"("nikHash");

-- CreateIndex
CREATE INDEX "Participant_stage_idx" ON "Participant"("stage");

-- CreateIndex
CREATE INDEX "Participant_province_idx" ON "Participant"("province");

-- CreateIndex
CREATE INDEX "Participant_currentWaveId_idx" ON "Participant"("currentWaveId");

-- CreateIndex
CREATE INDEX "WorkflowStartOutbox_startedAt_createdAt_idx" ON "WorkflowStartOutbox"("startedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Wave_number_key" ON "Wave"("number");

-- CreateIndex
CREATE INDEX "WaveApplication_waveId_status_idx" ON "WaveApplication"("waveId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "WaveApplication_waveId_participantId_key" ON "WaveApplication"("waveId", "participantId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_idempotencyKey_key" ON "LedgerEntry"("idempotencyKey");

-- CreateIndex
CREATE INDEX "LedgerEntry_participantId_kind_idx" ON "LedgerEntry"("participantId", "kind");

-- CreateIndex
CREATE INDEX "TrainingEvent_participantId_idx" ON "TrainingEvent"("participantId");

-- CreateIndex
CREATE INDEX "EligibilityDecision_participantId_idx" ON "EligibilityDecision"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "EligibilityDecision_participantId_ruleSetId_trigger_evaluat_key" ON "EligibilityDecision"("participantId", "ruleSetId", "trigger", "evaluatedAt");

-- CreateIndex
CREATE INDEX "RuleSet_status_effectiveFrom_idx" ON "RuleSet"("status", "effectiveFrom");

-- CreateIndex
CREATE UNIQUE INDEX "RuleSet_name_version_key" ON "RuleSet"("name", "version");

-- CreateIndex
CREATE INDEX "RuleSetAuditEntry_ruleSetId_at_idx" ON "RuleSetAuditEntry"("ruleSetId", "at");

-- AddForeignKey
ALTER TABLE "WaveApplication" ADD CONSTRAINT "WaveApplication_waveId_fkey" FOREIGN KEY ("waveId") REFERENCES "Wave"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaveApplication" ADD CONSTRAINT "WaveApplication_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EligibilityDecision" ADD CONSTRAINT "EligibilityDecision_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RuleSetAuditEntry" ADD CONSTRAINT "RuleSetAuditEntry_ruleSetId_fkey" FOREIGN KEY ("ruleSetId") REFERENCES "RuleSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

