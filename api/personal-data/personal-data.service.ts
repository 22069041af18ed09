// Reads of personal data in clear, each written to the access log before anything is answered:
// if the entry cannot be written, the read fails, so no read goes unrecorded.
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import type { PayoutAccount } from '../../lib/payout-account';
import { ENVELOPE_CONTEXT, isSealedExplanation, type PersonalDataCipher } from '../../lib/personal-data';
import type { Caller } from '../request-context';
import { GoneError } from '../errors';
import { isUuid } from '../resource-ids';
import { participantNotFound } from '../participants/missing-journey';
import {
  PERSONAL_DATA_FIELDS,
  type AccessLogPage,
  type DataSubjectExport,
  type PersonalDataAccessEntry,
  type PersonalDataField,
  type UnmaskedRead,
} from './personal-data.schema';

export interface PersonalDataServiceDependencies {
  prisma: PrismaClient;
  personalData: PersonalDataCipher;
  logger: Logger;
  now: () => Date;
}

interface AccessContext {
  caller: Caller;
  requestId: string;
  reason: string;
}

type AccessRow = { id: string; participantId: string; action: string; actor: string; role: string; fields: string[]; reason: string; requestId: string | null; at: Date };

export class PersonalDataService {
  constructor(private readonly deps: PersonalDataServiceDependencies) {}

  async readUnmasked(participantId: string, fields: readonly PersonalDataField[], access: AccessContext): Promise<UnmaskedRead> {
    const { prisma, personalData } = this.deps;
    const participant = await this.findParticipant(participantId);
    if (participant.personalData === null) throw new GoneError('PERSONAL_DATA_ERASED', 'This participant\'s personal data was erased after the retention period');
    const person = personalData.openPersonalData(participantId, participant.personalData);
    const account = this.openPayoutAccount(participantId, participant.payoutAccount);
    const wanted = new Set(fields);
    const entry = await prisma.personalDataAccess.create({ data: this.accessEntry(participantId, 'UNMASKED_READ', [...wanted], access) });
    this.deps.logger.info({ participantId, auditEntryId: entry.id, fields: [...wanted], actor: access.caller.name }, 'personal data read unmasked');
    return {
      participantId,
      fields: {
        ...(wanted.has('nik') ? { nik: person.nik } : {}),
        ...(wanted.has('fullName') ? { fullName: person.fullName } : {}),
        ...(wanted.has('dateOfBirth') ? { dateOfBirth: person.dateOfBirth } : {}),
        ...(wanted.has('email') ? { email: person.email } : {}),
        ...(wanted.has('phone') ? { phone: person.phone } : {}),
        ...(wanted.has('payoutAccount') ? { payoutAccount: account } : {}),
      },
      auditEntryId: entry.id,
    };
  }

  /** Everything held on one participant: the data subject's right of access (UU 27/2022 art. 7). */
  async exportParticipant(participantId: string, access: AccessContext): Promise<DataSubjectExport> {
    const { prisma, personalData } = this.deps;
    const participant = await this.findParticipant(participantId);
    await prisma.personalDataAccess.create({ data: this.accessEntry(participantId, 'EXPORT', [...PERSONAL_DATA_FIELDS], access) });
    const [decisions, facts, applications, ledger, trainingEvents, appeals, accessLog] = await Promise.all([
      prisma.eligibilityDecision.findMany({ where: { participantId }, orderBy: { evaluatedAt: 'asc' } }),
      prisma.eligibilityFacts.findUnique({ where: { participantId } }),
      prisma.waveApplication.findMany({ where: { participantId }, orderBy: { appliedAt: 'asc' }, include: { wave: { select: { number: true } } } }),
      prisma.ledgerEntry.findMany({ where: { participantId }, orderBy: [{ createdAt: 'asc' }, { idempotencyKey: 'asc' }] }),
      prisma.trainingEvent.findMany({ where: { participantId }, orderBy: { receivedAt: 'asc' } }),
      prisma.appeal.findMany({ where: { participantId }, orderBy: { filedAt: 'asc' } }),
      prisma.personalDataAccess.findMany({ where: { participantId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
    ]);
    this.deps.logger.info({ participantId, actor: access.caller.name, role: access.caller.role }, 'personal data exported');
    return {
      exportedAt: this.deps.now().toISOString(),
      participantId,
      personalData: participant.personalData === null ? null : personalData.openPersonalData(participantId, participant.personalData),
      payoutAccount: this.openPayoutAccount(participantId, participant.payoutAccount),
      pseudonymisedAt: participant.pseudonymisedAt?.toISOString() ?? null,
      participation: {
        registeredAt: participant.createdAt.toISOString(),
        channel: participant.channel,
        province: participant.province,
        employmentStatus: participant.employmentStatus,
        microBusinessLostIncome: participant.microBusinessLostIncome,
        stage: participant.stage,
        stageChangedAt: participant.stageChangedAt.toISOString(),
        eligibilityOutcome: participant.eligibilityOutcome,
        priorityPoints: participant.priorityPoints,
        milestones: {
          emailVerifiedAt: participant.emailVerifiedAt,
          nikVerifiedAt: participant.nikVerifiedAt,
          eligibleAt: participant.eligibleAt,
          appliedAt: participant.appliedAt,
          selectedAt: participant.selectedAt,
          trainingPurchasedAt: participant.trainingPurchasedAt,
          trainingCompletedAt: participant.trainingCompletedAt,
          completedAt: participant.completedAt,
        },
        exit: participant.exitedAt ? { at: participant.exitedAt, reason: participant.exitReason } : null,
        idPhoto: participant.photoPath ? { onFile: true, contentType: participant.photoContentType } : { onFile: false },
      },
      eligibilityDecisions: decisions.map((decision) => ({
        ruleSetId: decision.ruleSetId,
        ruleSetVersion: decision.ruleSetVersion,
        trigger: decision.trigger,
        evaluatedAt: decision.evaluatedAt.toISOString(),
        outcome: decision.outcome,
        priorityPoints: decision.priorityPoints,
        reasons: decision.reasons,
        explanation: isSealedExplanation(decision.explanation)
          ? personalData.decrypt<unknown>(decision.explanation.sealed, ENVELOPE_CONTEXT.decisionExplanation(participantId))
          : decision.explanation,
      })),
      eligibilityFacts: facts ? { ...facts, dateOfBirth: facts.dateOfBirth.toISOString().slice(0, 10) } : null,
      waveApplications: applications.map(({ wave, ...application }) => ({ ...application, waveNumber: wave.number })),
      ledger: ledger.map((entry) => ({ ...entry })),
      trainingEvents: trainingEvents.map((event) => ({ ...event })),
      // The appeal as the participant wrote it, and what became of it; the document is named, not embedded.
      // The staff behind the appealed decision (decisionActors) are the program's internal record, not the participant's data.
      appeals: appeals.map(({ sealedStatement, statementKeyId: _statementKeyId, documentPath, documentContentType, decisionActors: _decisionActors, ...appeal }) => ({
        ...appeal,
        statement: sealedStatement === null ? null : personalData.decrypt<string>(sealedStatement, ENVELOPE_CONTEXT.appealStatement(participantId)),
        document: documentPath ? { onFile: true, contentType: documentContentType } : { onFile: false },
      })),
      personalDataAccess: accessLog.map(toAccessEntry),
    };
  }

  async listAccess(query: { participantId?: string; limit: number; cursor?: string }): Promise<AccessLogPage> {
    const rows = await this.deps.prisma.personalDataAccess.findMany({
      where: query.participantId ? { participantId: query.participantId } : {},
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    });
    const page = rows.slice(0, query.limit);
    return { entries: page.map(toAccessEntry), nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
  }

  private async findParticipant(participantId: string) {
    const participant = isUuid(participantId) ? await this.deps.prisma.participant.findUnique({ where: { id: participantId } }) : null;
    if (!participant) throw participantNotFound();
    return participant;
  }

  private openPayoutAccount(participantId: string, envelope: string | null): PayoutAccount | null {
    return envelope === null ? null : this.deps.personalData.decrypt<PayoutAccount>(envelope, ENVELOPE_CONTEXT.payoutAccount(participantId));
  }

  private accessEntry(participantId: string, action: PersonalDataAccessEntry['action'], fields: string[], access: AccessContext) {
    return { participantId, action, actor: access.caller.name, role: access.caller.role, fields, reason: access.reason, requestId: access.requestId, at: this.deps.now() };
  }
}

function toAccessEntry(row: AccessRow): PersonalDataAccessEntry {
  return {
    id: row.id,
    participantId: row.participantId,
    action: row.action as PersonalDataAccessEntry['action'],
    actor: row.actor,
    role: row.role,
    fields: row.fields,
    reason: row.reason,
    requestId: row.requestId,
    at: row.at.toISOString(),
  };
}
