// Pseudonymisation after the retention period (PII_RETENTION_PERIOD after the journey ended):
// the personal data (NIK, name, birth date, e-mail, phone), the payout account and the ID photo
// are erased; the birth date in the eligibility facts is coarsened to the year, and removed from
// the decisions' explanations; free-text exit reasons typed by a person are dropped. The ledger,
// the decisions (outcome, reasons, rule-set version) and the audit trails stay: they are the
// program's financial and administrative record, which an auditor (BPK) must be able to check,
// and they name nobody once the personal data is gone.
//
// The NIK's keyed hash (nikHash) stays as well. "Each person may take part once only" is a rule
// of the program (Perpres 36/2020), which needs exactly one fact about a past participant: that
// this NIK took part. UU 27/2022 allows processing needed for a legal obligation or a public
// task (art. 20(2)(c), (e)), and asks for the least data that does it (art. 16(2)): a keyed
// HMAC, which cannot be reversed without the secret key and reveals nothing but equality, is
// that. Without it a pseudonymised participant could register again and be paid twice.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../lib/database';
import { ENVELOPE_CONTEXT, isSealedExplanation, type PersonalDataCipher, type SealedExplanation } from '../lib/personal-data';
import { toMilliseconds } from '../lib/program-calendar';

export const PSEUDONYMISED_FIELDS = ['nik', 'fullName', 'dateOfBirth', 'email', 'phone', 'payoutAccount', 'idPhoto', 'eligibilityFacts.dateOfBirth', 'exitReason', 'appeal.statement', 'appeal.document'];

/** Exit reasons that are free text typed by the participant or an operator, not codes. */
const FREE_TEXT_EXITS = ['WITHDRAWN', 'CANCELLED'];

/** The explanation without the birth date: the facts' date, and any condition's value seen for it. */
export function explanationWithoutDateOfBirth(explanation: unknown): unknown {
  if (Array.isArray(explanation)) return explanation.map(explanationWithoutDateOfBirth);
  if (typeof explanation !== 'object' || explanation === null) return explanation;
  const copy: Record<string, unknown> = {};
  const isDateOfBirthLeaf = (explanation as { fact?: unknown }).fact === 'dateOfBirth';
  for (const [key, value] of Object.entries(explanation)) {
    if (key === 'dateOfBirth') continue;
    copy[key] = isDateOfBirthLeaf && key === 'factValue' ? '[erased]' : explanationWithoutDateOfBirth(value);
  }
  return copy;
}

export interface PersonalDataRetentionDependencies {
  prisma: PrismaClient;
  personalData: PersonalDataCipher;
  photoStorageDir: string;
}

export function createPersonalDataRetentionActivities({ prisma, personalData, photoStorageDir }: PersonalDataRetentionDependencies) {
  async function pseudonymise(participantId: string, photoPath: string | null, retentionPeriod: string, at: Date): Promise<boolean> {
    // The photo first: should the transaction then fail, the retry finds the row unchanged and
    // erases the rest; the other way round a crash could leave a photo nobody points to.
    for (const file of new Set([photoPath, ...['jpg', 'png'].map((extension) => path.join(photoStorageDir, `${participantId}.${extension}`))])) {
      if (file) await fs.rm(file, { force: true });
    }
    // The appeals' documents likewise; their statements go in the transaction.
    const appeals = await prisma.appeal.findMany({ where: { participantId }, select: { documentPath: true } });
    for (const { documentPath } of appeals) if (documentPath) await fs.rm(documentPath, { force: true });
    return prisma.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<Array<{ pseudonymisedAt: Date | null; exitReason: string | null }>>`
        SELECT "pseudonymisedAt", "exitReason" FROM "Participant" WHERE id = ${participantId}::uuid FOR UPDATE`;
      if (!locked || locked.pseudonymisedAt) return false;

      const decisions = await tx.eligibilityDecision.findMany({ where: { participantId }, select: { id: true, explanation: true } });
      const context = ENVELOPE_CONTEXT.decisionExplanation(participantId);
      for (const decision of decisions) {
        const plain = isSealedExplanation(decision.explanation) ? personalData.decrypt<unknown>(decision.explanation.sealed, context) : decision.explanation;
        const sealed: SealedExplanation = { sealed: personalData.encrypt(explanationWithoutDateOfBirth(plain), context) };
        await tx.eligibilityDecision.update({ where: { id: decision.id }, data: { explanation: { ...sealed }, explanationKeyId: personalData.activeKeyId } });
      }
      await tx.appeal.updateMany({ where: { participantId }, data: { sealedStatement: null, statementKeyId: null, documentPath: null, documentContentType: null } });
      await tx.$executeRaw`
        UPDATE "EligibilityFacts" SET "dateOfBirth" = date_trunc('year', "dateOfBirth")::date WHERE "participantId" = ${participantId}::uuid`;
      const exitStage = locked.exitReason?.split(':')[0];
      await tx.participant.update({
        where: { id: participantId },
        data: {
          personalData: null,
          personalDataKeyId: null,
          payoutAccount: null,
          payoutAccountKeyId: null,
          photoPath: null,
          photoContentType: null,
          pseudonymisedAt: at,
          ...(exitStage && FREE_TEXT_EXITS.includes(exitStage) ? { exitReason: `${exitStage}: [erased]` } : {}),
        },
      });
      await tx.personalDataAccess.create({
        data: {
          participantId,
          action: 'PSEUDONYMISED',
          actor: 'retention',
          role: 'system',
          fields: PSEUDONYMISED_FIELDS,
          reason: `Retention period ${retentionPeriod} after the journey ended`,
          at,
        },
      });
      return true;
    });
  }

  return {
    /** One batch; `remaining` says whether more participants are due. Idempotent: an erased participant is skipped. */
    async pseudonymiseEndedParticipants({ retentionPeriod, batchSize }: { retentionPeriod: string; batchSize: number }): Promise<{ pseudonymised: number; remaining: number }> {
      const now = new Date();
      const endedBefore = new Date(now.getTime() - toMilliseconds(retentionPeriod));
      const due = await prisma.participant.findMany({
        where: { pseudonymisedAt: null, OR: [{ exitedAt: { lte: endedBefore } }, { completedAt: { lte: endedBefore } }] },
        select: { id: true, photoPath: true },
        orderBy: { id: 'asc' },
        take: batchSize + 1,
      });
      let pseudonymised = 0;
      for (const participant of due.slice(0, batchSize)) {
        if (await pseudonymise(participant.id, participant.photoPath, retentionPeriod, now)) pseudonymised += 1;
      }
      return { pseudonymised, remaining: Math.max(0, due.length - batchSize) };
    },
  };
}
