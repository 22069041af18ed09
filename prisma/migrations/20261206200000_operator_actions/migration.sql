-- Operator actions on a participant's journey, append-only: rows are added, never changed or removed.

-- CreateEnum
CREATE TYPE "OperatorActionKind" AS ENUM ('CANCEL', 'RESEND_VERIFICATION_EMAIL', 'RETRY_PAYOUT', 'EXTEND_DEADLINE', 'RESET_JOURNEY');

-- CreateEnum
CREATE TYPE "OperatorActionPhase" AS ENUM ('REQUESTED', 'DONE', 'REFUSED');

-- CreateTable
CREATE TABLE "OperatorActionEntry" (
    "id" UUID NOT NULL,
    "actionId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "batchId" UUID,
    "kind" "OperatorActionKind" NOT NULL,
    "phase" "OperatorActionPhase" NOT NULL,
    "actor" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "refusalCode" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OperatorActionEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OperatorActionEntry_actionId_phase_key" ON "OperatorActionEntry"("actionId", "phase");

-- CreateIndex
CREATE INDEX "OperatorActionEntry_batchId_idx" ON "OperatorActionEntry"("batchId");

-- CreateIndex
CREATE INDEX "OperatorActionEntry_participantId_at_idx" ON "OperatorActionEntry"("participantId", "at");

-- The audit trail holds even against the API's own database role: no row is changed or removed.
-- Prisma's migration runner splits scripts at every semicolon, so the function body writes its
-- semicolons as the Unicode escape \003B.
CREATE FUNCTION "refuse_operator_action_change"() RETURNS trigger LANGUAGE plpgsql AS
U&'BEGIN RAISE EXCEPTION ''OperatorActionEntry is append-only: % refused'', TG_OP USING ERRCODE = ''insufficient_privilege''\003B END\003B';

CREATE TRIGGER "OperatorActionEntry_append_only"
    BEFORE UPDATE OR DELETE ON "OperatorActionEntry"
    FOR EACH ROW EXECUTE FUNCTION "refuse_operator_action_change"();

CREATE TRIGGER "OperatorActionEntry_no_truncate"
    BEFORE TRUNCATE ON "OperatorActionEntry"
    FOR EACH STATEMENT EXECUTE FUNCTION "refuse_operator_action_change"();
