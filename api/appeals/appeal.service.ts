// Appeals, from the API's side. Filing seals what the participant wrote and stores the document,
// then asks the journey (the fileAppeal update), which records the Appeal row; a refused filing
// leaves nothing behind. Reviewers read the row with the statement and the appealed decision
// opened (each read in the personal-data access log) and decide through the journey's
// decideAppeal update, never on a decision they took part in.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { Appeal } from '../../generated/prisma/client';
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { ENVELOPE_CONTEXT, isSealedExplanation, type PersonalDataCipher } from '../../lib/personal-data';
import {
  APPEAL_RESULTS,
  APPEAL_RULES_BASES,
  APPEALABLE_STAGES,
  decideAppealUpdate,
  fileAppealUpdate,
  participantWorkflowId,
  STAGES,
  type AppealDecision,
  type AppealFiling,
} from '../../workflows/participant-journey.definitions';
import { ConflictError, journeyRefusal, NotFoundError, OwnDecisionError, type HttpError } from '../errors';
import { explainMissingJourney, participantNotFound } from '../participants/missing-journey';
import type { Caller } from '../request-context';
import { isUuid } from '../resource-ids';
import type { AppealDocument, AppealDocumentStorage } from './appeal-documents';
import type { AppealDecisionRequest, AppealDetail, AppealFiled, AppealFilingRequest, AppealQueue, AppealQueueQuery } from './appeal.schema';

/** Updates are answered by the worker once the journey has recorded the appeal; without one they would wait indefinitely. */
const UPDATE_TIMEOUT_MS = 10_000;
const HOUR_MS = 3_600_000;

/** The appealed decision as the journey recorded it (activities/appeals.ts AppealedDecision), checked as it comes out of a JSON column. */
const reasonSchema = z.object({ code: z.string(), message: z.string(), reference: z.string().optional(), messages: z.object({ id: z.string(), en: z.string() }).optional() });
const appealedDecisionSchema = z.object({
  reason: z.string(),
  exitedAt: z.string(),
  by: z.string().optional(),
  eligibility: z
    .object({ ruleSetId: z.string(), ruleSetVersion: z.number().int(), evaluatedAt: z.string(), outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']), reasons: z.array(reasonSchema) })
    .optional(),
});
const explanationSchema = z.looseObject({
  evaluationDate: z.string(),
  facts: z.record(z.string(), z.unknown()),
  rules: z.array(z.looseObject({ name: z.string(), fired: z.boolean(), event: z.unknown(), conditions: z.unknown() })),
});
const storedStageSchema = z.enum(STAGES);
const appealableStageSchema = z.enum(APPEALABLE_STAGES);
const rulesBasisSchema = z.enum(APPEAL_RULES_BASES).nullable();
const resultSchema = z.enum(APPEAL_RESULTS).nullable();

export interface AppealServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  documents: AppealDocumentStorage;
  personalData: PersonalDataCipher;
  logger: Logger;
  now: () => Date;
}

/** Who reads, for the personal-data access log. */
export interface ReadContext {
  caller: Caller;
  requestId: string;
}

export class AppealService {
  constructor(private readonly deps: AppealServiceDependencies) {}

  /**
   * The document was checked before this is called. A filing the journey refuses, or one to a
   * participant who is not there, leaves nothing behind; a filing whose answer never came (a
   * timeout) keeps its document, as the journey may yet have recorded the appeal.
   */
  async file(participantId: string, request: AppealFilingRequest, document: AppealDocument | undefined): Promise<AppealFiled> {
    const { prisma, personalData, documents } = this.deps;
    const participant = isUuid(participantId) ? await prisma.participant.findUnique({ where: { id: participantId }, select: { id: true } }) : null;
    if (!participant) throw participantNotFound();
    const appealId = randomUUID();
    const sealedStatement = personalData.encrypt(request.statement, ENVELOPE_CONTEXT.appealStatement(participantId));
    // Sealed exactly as PUT /identity seals a correction: the journey's Dukcapil check opens it.
    const sealedIdentity = request.correctedIdentity ? personalData.encrypt(request.correctedIdentity, ENVELOPE_CONTEXT.identityCorrection(participantId)) : undefined;
    const storedPath = document ? await documents.store(participantId, appealId, document) : undefined;
    const filing: AppealFiling = {
      appealId,
      sealedStatement,
      ...(sealedIdentity ? { sealedIdentity } : {}),
      ...(document && storedPath ? { document: { contentType: document.format.contentType, path: storedPath } } : {}),
    };
    try {
      const state = await this.deps.temporal.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () =>
        this.journeyOf(participantId).executeUpdate(fileAppealUpdate, { args: [filing], updateId: appealId }),
      );
      const appeal = state.appeal!;
      this.deps.logger.info({ participantId, appealId, appealedStage: appeal.appealedStage, withDocument: storedPath !== undefined }, 'appeal filed');
      return { appealId, status: 'OPEN', filedAt: appeal.filedAt, stage: appeal.appealedStage };
    } catch (error) {
      // Refused by the journey's validator, or no journey to take it: surely not recorded.
      const journeyMissing = error instanceof WorkflowNotFoundError;
      if (storedPath && (journeyMissing || journeyRefusal(error) !== undefined)) await documents.remove(storedPath);
      if (journeyMissing) throw await explainMissingJourney(prisma, participantId, appealWindowClosedOr);
      throw error;
    }
  }

  async queue({ status, limit }: AppealQueueQuery): Promise<AppealQueue> {
    const { prisma } = this.deps;
    const now = this.deps.now();
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
    const [appeals, underOneDay, oneToSevenDays, sevenToFourteenDays, overFourteenDays] = await Promise.all([
      prisma.appeal.findMany({ where: status ? { status } : {}, orderBy: [{ filedAt: 'asc' }, { id: 'asc' }], take: limit }),
      prisma.appeal.count({ where: { status: 'OPEN', filedAt: { gt: hoursAgo(24) } } }),
      prisma.appeal.count({ where: { status: 'OPEN', filedAt: { lte: hoursAgo(24), gt: hoursAgo(7 * 24) } } }),
      prisma.appeal.count({ where: { status: 'OPEN', filedAt: { lte: hoursAgo(7 * 24), gt: hoursAgo(14 * 24) } } }),
      prisma.appeal.count({ where: { status: 'OPEN', filedAt: { lte: hoursAgo(14 * 24) } } }),
    ]);
    return {
      appeals: appeals.map((appeal) => ({
        appealId: appeal.id,
        participantId: appeal.participantId,
        appealedStage: appealableStageSchema.parse(appeal.appealedStage),
        status: appeal.status,
        filedAt: appeal.filedAt.toISOString(),
        ageHours: Math.max(0, Math.floor(((appeal.decidedAt ?? now).getTime() - appeal.filedAt.getTime()) / HOUR_MS)),
        windowEndsAt: appeal.windowEndsAt.toISOString(),
        decidedAt: appeal.decidedAt?.toISOString() ?? null,
        decidedBy: appeal.decidedBy,
        result: resultSchema.parse(appeal.result),
      })),
      openByAge: { underOneDay, oneToSevenDays, sevenToFourteenDays, overFourteenDays },
    };
  }

  /** The appeal with its statement and the appealed decision opened; written to the access log before it is answered. */
  async read(appealId: string, context: ReadContext): Promise<AppealDetail> {
    const { prisma, personalData } = this.deps;
    const appeal = await this.findAppeal(appealId);
    const participant = await prisma.participant.findUniqueOrThrow({ where: { id: appeal.participantId }, select: { stage: true } });
    // Null once the retention job erased it with the rest of the participant's personal data.
    const statement = appeal.sealedStatement === null ? null : personalData.decrypt<string>(appeal.sealedStatement, ENVELOPE_CONTEXT.appealStatement(appeal.participantId));
    const appealedDecision = appealedDecisionSchema.parse(appeal.appealedDecision);
    const eligibilityDecision = appealedDecision.eligibility ? await this.openDecision(appeal.participantId, appealedDecision.eligibility) : null;
    const fields = ['appealStatement', ...(eligibilityDecision ? ['decisionExplanation', 'decisionExplanation.dateOfBirth'] : [])];
    const entry = await this.logRead(appeal, fields, context);
    return {
      appealId: appeal.id,
      participantId: appeal.participantId,
      participantStage: storedStageSchema.parse(participant.stage),
      appealedStage: appealableStageSchema.parse(appeal.appealedStage),
      status: appeal.status,
      filedAt: appeal.filedAt.toISOString(),
      windowEndsAt: appeal.windowEndsAt.toISOString(),
      statement,
      identityCorrected: appeal.identityCorrected,
      document: appeal.documentPath && appeal.documentContentType ? { contentType: appeal.documentContentType, url: `/v1/appeals/${appeal.id}/document` } : null,
      appealedDecision: {
        reason: appealedDecision.reason,
        exitedAt: appealedDecision.exitedAt,
        by: appealedDecision.by ?? null,
        eligibility: appealedDecision.eligibility ?? null,
      },
      eligibilityDecision,
      decisionActors: appeal.decisionActors,
      decidedBy: appeal.decidedBy,
      decidedAt: appeal.decidedAt?.toISOString() ?? null,
      decisionReason: appeal.decisionReason,
      rulesBasis: rulesBasisSchema.parse(appeal.rulesBasis),
      result: resultSchema.parse(appeal.result),
      resultAt: appeal.resultAt?.toISOString() ?? null,
      accessLogEntryId: entry.id,
    };
  }

  /** The document in clear, with its type and the name the participant gave it; logged like the appeal. */
  async document(appealId: string, context: ReadContext): Promise<{ bytes: Buffer; contentType: string; fileName?: string }> {
    const appeal = await this.findAppeal(appealId);
    const missing = () => new NotFoundError('APPEAL_DOCUMENT_NOT_FOUND', 'No document came with this appeal');
    if (!appeal.documentPath || !appeal.documentContentType) throw missing();
    const document = await this.deps.documents.read(appeal.participantId, appeal.documentPath);
    if (!document) throw missing();
    await this.logRead(appeal, ['appealDocument'], context);
    return { bytes: document.bytes, contentType: appeal.documentContentType, ...(document.fileName !== undefined ? { fileName: document.fileName } : {}) };
  }

  /**
   * Nobody decides an appeal against a decision they took part in: checked before the journey is
   * asked (names compared without regard to case or surrounding spaces). The journey then refuses
   * an appeal that is not open (409 APPEAL_NOT_OPEN).
   */
  async decide(appealId: string, request: AppealDecisionRequest, context: ReadContext): Promise<AppealDetail> {
    const appeal = await this.findAppeal(appealId);
    const { caller } = context;
    const sameName = (name: string) => name.trim().toLowerCase() === caller.name.trim().toLowerCase();
    if (appeal.decisionActors.some(sameName)) throw new OwnDecisionError();
    const decision: AppealDecision =
      request.outcome === 'OVERTURNED'
        ? { appealId, outcome: 'OVERTURNED', reason: request.reason, by: caller.name, rulesBasis: request.rulesBasis! }
        : { appealId, outcome: 'UPHELD', reason: request.reason, by: caller.name };
    try {
      await this.deps.temporal.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () => this.journeyOf(appeal.participantId).executeUpdate(decideAppealUpdate, { args: [decision] }));
    } catch (error) {
      // A journey that has finished has no open appeal to decide.
      if (error instanceof WorkflowNotFoundError) throw new ConflictError('APPEAL_NOT_OPEN', `Appeal ${appealId} is not open: the participant's journey has ended`);
      throw error;
    }
    this.deps.logger.info({ participantId: appeal.participantId, appealId, outcome: decision.outcome, by: caller.name }, 'appeal decided');
    return this.read(appealId, context);
  }

  private async findAppeal(appealId: string): Promise<Appeal> {
    const appeal = isUuid(appealId) ? await this.deps.prisma.appeal.findUnique({ where: { id: appealId } }) : null;
    if (!appeal) throw new NotFoundError('APPEAL_NOT_FOUND', 'No such appeal');
    return appeal;
  }

  /** The appealed eligibility decision, its explanation opened; null when the row is not found. */
  private async openDecision(participantId: string, appealed: NonNullable<z.output<typeof appealedDecisionSchema>['eligibility']>): Promise<AppealDetail['eligibilityDecision']> {
    const decision = await this.deps.prisma.eligibilityDecision.findFirst({
      where: { participantId, ruleSetId: appealed.ruleSetId, evaluatedAt: new Date(appealed.evaluatedAt) },
      orderBy: { createdAt: 'desc' },
    });
    if (!decision) return null;
    const stored = isSealedExplanation(decision.explanation)
      ? this.deps.personalData.decrypt<unknown>(decision.explanation.sealed, ENVELOPE_CONTEXT.decisionExplanation(participantId))
      : decision.explanation;
    const explanation = explanationSchema.parse(stored);
    const { facts } = explanation;
    return {
      ruleSetId: decision.ruleSetId,
      ruleSetVersion: decision.ruleSetVersion,
      trigger: decision.trigger,
      evaluatedAt: decision.evaluatedAt.toISOString(),
      outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']).parse(decision.outcome),
      reasons: z.array(reasonSchema).parse(decision.reasons),
      explanation,
      registryAnswers: {
        isStudent: facts.isStudent ?? null,
        socialAidPrograms: facts.socialAidPrograms ?? null,
        onLaidOffList: facts.onLaidOffList ?? null,
        previousParticipations: facts.previousParticipations ?? null,
        identityStatus: facts.identityStatus ?? null,
      },
    };
  }

  private logRead(appeal: Appeal, fields: string[], { caller, requestId }: ReadContext) {
    return this.deps.prisma.personalDataAccess.create({
      data: { participantId: appeal.participantId, action: 'APPEAL_REVIEW', actor: caller.name, role: caller.role, fields, reason: `Review of appeal ${appeal.id}`, requestId, at: this.deps.now() },
      select: { id: true },
    });
  }

  private journeyOf(participantId: string) {
    return this.deps.temporal.workflow.getHandle(participantWorkflowId(participantId));
  }
}

/** A finished journey whose way out is appealable had its window close; any other way out is not appealable. */
function appealWindowClosedOr(stage: string): HttpError {
  return (APPEALABLE_STAGES as readonly string[]).includes(stage)
    ? new ConflictError('APPEAL_WINDOW_CLOSED', `The appeal window of this ${stage} decision has closed`)
    : new ConflictError('WRONG_STAGE', `Cannot appeal at stage ${stage}: the participant's journey has ended`);
}
