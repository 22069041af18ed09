// The journey's record of an appeal, step by step, in the Appeal table: the reviewers' queue and
// the auditors' record. Each write is keyed by the appeal's id, so a retried activity writes once.
// The journey holds the truth (its state and history); these rows follow it.
import type { PrismaClient } from '../lib/database';
import { ENVELOPE_CONTEXT, envelopeKeyId, type PersonalDataCipher } from '../lib/personal-data';
import type { AppealableStage, AppealDecision, AppealResult, EligibilitySummary } from '../workflows/participant-journey.definitions';
import type { RegistryClients } from './registry-checks';
import { callOutsideSystem } from './outside-call';

/** The decision appealed, as the reviewer sees it next to the statement. */
export interface AppealedDecision {
  reason: string;
  exitedAt: string;
  /** Who requested the exit, when a person did (a re-evaluation's requester). */
  by?: string;
  eligibility?: Pick<EligibilitySummary, 'ruleSetId' | 'ruleSetVersion' | 'evaluatedAt' | 'reasons' | 'outcome'>;
}

export interface AppealRecord {
  participantId: string;
  appealId: string;
  appealedStage: AppealableStage;
  appealedDecision: AppealedDecision;
  sealedStatement: string;
  identityCorrected: boolean;
  document?: { contentType: string; path: string };
  filedAt: string;
  windowEndsAt: string;
}

export function createAppealActivities(deps: { prisma: PrismaClient; personalData: PersonalDataCipher; registries: RegistryClients }) {
  const { prisma, personalData } = deps;

  /** The people behind a decision: its requester, and the deciding version's author, submitter and approver. */
  async function actorsOf(decision: AppealedDecision): Promise<string[]> {
    const actors = new Set<string>(decision.by ? [decision.by] : []);
    if (decision.eligibility) {
      const ruleSet = await prisma.ruleSet.findUnique({ where: { id: decision.eligibility.ruleSetId }, select: { createdBy: true, submittedBy: true, approvedBy: true } });
      for (const actor of [ruleSet?.createdBy, ruleSet?.submittedBy, ruleSet?.approvedBy]) if (actor && actor !== 'system') actors.add(actor);
    }
    return [...actors];
  }

  return {
    async recordAppeal(appeal: AppealRecord): Promise<void> {
      // The envelope must open for this participant: a statement sealed for someone else is a bug.
      personalData.decrypt<string>(appeal.sealedStatement, ENVELOPE_CONTEXT.appealStatement(appeal.participantId));
      await prisma.appeal.upsert({
        where: { id: appeal.appealId },
        create: {
          id: appeal.appealId,
          participantId: appeal.participantId,
          appealedStage: appeal.appealedStage,
          appealedDecision: appeal.appealedDecision as object,
          decisionActors: await actorsOf(appeal.appealedDecision),
          sealedStatement: appeal.sealedStatement,
          statementKeyId: envelopeKeyId(appeal.sealedStatement),
          identityCorrected: appeal.identityCorrected,
          documentPath: appeal.document?.path ?? null,
          documentContentType: appeal.document?.contentType ?? null,
          filedAt: new Date(appeal.filedAt),
          windowEndsAt: new Date(appeal.windowEndsAt),
        },
        update: {},
      });
    },

    async recordAppealDecision({ decision, decidedAt }: { decision: AppealDecision; decidedAt: string }): Promise<void> {
      await prisma.appeal.updateMany({
        where: { id: decision.appealId, status: 'OPEN' },
        data: {
          status: decision.outcome,
          decidedBy: decision.by,
          decidedAt: new Date(decidedAt),
          decisionReason: decision.reason,
          rulesBasis: decision.outcome === 'OVERTURNED' ? decision.rulesBasis : null,
        },
      });
    },

    /**
     * Back in the program: the participant's row no longer shows the exit. The ledger's
     * restoration and the repayment's cancellation are the journey's own ledger entries.
     */
    async recordAppealResult({ participantId, appealId, result, at }: { participantId: string; appealId: string; result: AppealResult; at: string }): Promise<void> {
      await prisma.$transaction([
        prisma.appeal.updateMany({ where: { id: appealId, result: null }, data: { result, resultAt: new Date(at) } }),
        ...(result === 'REINSTATED' ? [prisma.participant.update({ where: { id: participantId }, data: { exitedAt: null, exitReason: null } })] : []),
      ]);
    },

    /**
     * An appeal that came with a corrected name and date of birth: Dukcapil is asked with them
     * (and the NIK), and only a match replaces the stored ones, so a correction Dukcapil does not
     * confirm leaves the participant's data as it was.
     */
    async verifyAppealIdentityWithDukcapil({ participantId, sealedIdentity }: { participantId: string; sealedIdentity?: string }): Promise<{ result: 'MATCH' | 'MISMATCH' | 'NOT_FOUND' | 'DECEASED' }> {
      const participant = await prisma.participant.findUniqueOrThrow({ where: { id: participantId }, select: { personalData: true } });
      const current = personalData.openPersonalData(participantId, participant.personalData);
      const corrected = sealedIdentity
        ? personalData.decrypt<{ fullName: string; dateOfBirth: string }>(sealedIdentity, ENVELOPE_CONTEXT.identityCorrection(participantId))
        : { fullName: current.fullName, dateOfBirth: current.dateOfBirth };
      const verification = await callOutsideSystem(() => deps.registries.dukcapil.verifyNik({ nik: current.nik, ...corrected }));
      if (verification.result === 'MATCH' && sealedIdentity) {
        await prisma.participant.update({
          where: { id: participantId },
          data: { personalData: personalData.encrypt({ ...current, ...corrected }, ENVELOPE_CONTEXT.personalData(participantId)), personalDataKeyId: personalData.activeKeyId },
        });
      }
      return { result: verification.result };
    },
  };
}
