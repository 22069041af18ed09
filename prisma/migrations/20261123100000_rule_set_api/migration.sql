-- Rule-set API: one effective instant per published version of a name, and re-evaluation requests.

-- CreateIndex
CREATE UNIQUE INDEX "RuleSet_name_effectiveFrom_key" ON "RuleSet"("name", "effectiveFrom");

-- CreateTable
CREATE TABLE "RuleSetReevaluation" (
    "id" UUID NOT NULL,
    "ruleSetId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "participantsSignalled" INTEGER NOT NULL DEFAULT 0,
    "journeysNotRunning" INTEGER NOT NULL DEFAULT 0,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "RuleSetReevaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RuleSetReevaluation_ruleSetId_requestedAt_idx" ON "RuleSetReevaluation"("ruleSetId", "requestedAt");

-- AddForeignKey
ALTER TABLE "RuleSetReevaluation" ADD CONSTRAINT "RuleSetReevaluation_ruleSetId_fkey" FOREIGN KEY ("ruleSetId") REFERENCES "RuleSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
