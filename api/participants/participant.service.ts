// A participant's state and every step they take. Reads ask the journey workflow (its query);
// steps are workflow updates, so the answer says whether the workflow accepted the step and
// carries the new state. The database serves only what the workflow cannot: a journey not
// started yet, and the photo, which is not part of the process.
import { isGrpcServiceError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import type { Appeal } from '../../generated/prisma/client';
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import type { PayoutAccount } from '../../lib/payout-account';
import type { PeopleTokens } from '../../lib/people-tokens';
import { ENVELOPE_CONTEXT, maskPersonalData, type MaskedPersonalData, type PersonalDataCipher } from '../../lib/personal-data';
import { LANGUAGES, type Language } from '../../notices/notice';
import {
  STAGES,
  applyToWaveUpdate,
  cancelUpdate,
  correctIdentityUpdate,
  extendDeadlineUpdate,
  type ExtendableDeadline,
  getStateQuery,
  participantWorkflowId,
  resendNoticeUpdate,
  resendVerificationEmailUpdate,
  retryPayoutUpdate,
  setPayoutAccountUpdate,
  submitSurveyUpdate,
  verifyEmailUpdate,
  withdrawUpdate,
  type ParticipantState,
} from '../../workflows/participant-journey.definitions';
import { HttpError, journeyRefusal, ResetRefusedError, ResetTargetNotFoundError, ServiceUnavailableError, UnprocessableError } from '../errors';
import type { Caller } from '../request-context';
import { isUuid } from '../resource-ids';
import { isWaveOpenAt } from '../../lib/wave-state';
import { explainMissingJourney, participantNotFound } from './missing-journey';
import { OperatorActionLog, type OperatorActionKind } from '../../lib/operator-action-log';
import { findResetPoint, RESET_POINTS } from './journey-reset';
import { participantStatusOf, type StatusState } from './participant-status';
import {
  appealStepSchema,
  journeySnapshotSchema,
  participantNoticesSchema,
  type AccessToken,
  type AppealStepView,
  type AuditTrail,
  type JourneyReset,
  type JourneySnapshot,
  type ParticipantNotices,
  type ParticipantStatus,
  type ParticipantView,
  type PhotoStored,
  type ResetStep,
} from './participant.schema';
import { checkPhotoDimensions, type PhotoFormat, type PhotoStorage } from './photo-storage';

/** Queries and updates are answered by the worker; without one they would wait indefinitely. */
const QUERY_TIMEOUT_MS = 5_000;
const UPDATE_TIMEOUT_MS = 10_000;

const storedStageSchema = z.enum(STAGES);
/** The stored language, the program's own (Bahasa Indonesia) for anything else. */
const storedLanguageSchema = z.enum(LANGUAGES).catch('id');

/** gRPC codes by which Temporal refuses a reset it will not do (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION). */
const GRPC_REFUSALS = new Set([3, 5, 9]);

export interface ParticipantServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  photoStorage: PhotoStorage;
  personalData: PersonalDataCipher;
  /** Signs participants' own tokens. */
  tokens: PeopleTokens;
  logger: Logger;
  now: () => Date;
}

export class ParticipantService {
  private readonly operatorActions: OperatorActionLog;

  constructor(private readonly deps: ParticipantServiceDependencies) {
    this.operatorActions = new OperatorActionLog(deps);
  }

  async getParticipant(participantId: string): Promise<ParticipantView> {
    const participant = isUuid(participantId)
      ? await this.deps.prisma.participant.findUnique({
          where: { id: participantId },
          select: { id: true, stage: true, stageChangedAt: true, personalData: true, payoutAccount: true, pseudonymisedAt: true },
        })
      : null;
    if (!participant) throw participantNotFound();
    const personal = { personalData: this.maskedPersonalData(participant), pseudonymisedAt: participant.pseudonymisedAt?.toISOString() ?? null };
    try {
      const state = await this.queryState(participantId);
      return { ...toParticipantView(state), ...personal };
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      return { ...registrationView(participant.id, storedStageSchema.parse(participant.stage), participant.stageChangedAt), ...personal };
    }
  }

  /**
   * What the participant reads about themselves, in their language: from the journey's state (the
   * registration alone while the journey is being started) and the appeal's row for the reviewer's
   * reason. No personal data.
   */
  async getStatus(participantId: string, lang: Language | undefined): Promise<ParticipantStatus> {
    const participant = isUuid(participantId)
      ? await this.deps.prisma.participant.findUnique({ where: { id: participantId }, select: { id: true, stage: true, stageChangedAt: true, language: true, noticeChannel: true } })
      : null;
    if (!participant) throw participantNotFound();
    let state: StatusState;
    try {
      state = await this.queryState(participantId);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      state = { participantId, stage: storedStageSchema.parse(participant.stage), stageChangedAt: participant.stageChangedAt.toISOString(), deadlines: {}, surveys: [], payments: [], trainingBalance: 0 };
    }
    const appealRecord = state.appeal ? await this.deps.prisma.appeal.findUnique({ where: { id: state.appeal.appealId }, select: { decisionReason: true } }) : null;
    return participantStatusOf({
      state,
      appealRecord,
      language: lang ?? storedLanguageSchema.parse(participant.language),
      noticeChannel: participant.noticeChannel,
      now: this.deps.now(),
    });
  }

  /**
   * A token with which the participant reads their own status and appeals, and nothing else. The
   * backend asks for it once the participant portal has signed the person in its own way.
   */
  async issueAccessToken(participantId: string, ttlSeconds: number): Promise<AccessToken> {
    const participant = isUuid(participantId) ? await this.deps.prisma.participant.findUnique({ where: { id: participantId }, select: { id: true } }) : null;
    if (!participant) throw participantNotFound();
    if (!this.deps.tokens.canIssue) throw new ServiceUnavailableError('PARTICIPANT_TOKENS_UNAVAILABLE', 'Participants\' tokens need AUTH_TOKEN_SIGNING_KEYS');
    const { token, expiresAt } = await this.deps.tokens.issueParticipantToken({ participantId, ttlSeconds, now: this.deps.now() });
    this.deps.logger.info({ participantId, expiresAt }, 'participant token issued');
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /** Masked for everyone who reads a participant (operators, the backend); null once erased. */
  private maskedPersonalData(participant: { id: string; personalData: string | null; payoutAccount: string | null }): MaskedPersonalData | null {
    if (participant.personalData === null) return null;
    const { personalData } = this.deps;
    const person = personalData.openPersonalData(participant.id, participant.personalData);
    const account = participant.payoutAccount ? personalData.decrypt<PayoutAccount>(participant.payoutAccount, ENVELOPE_CONTEXT.payoutAccount(participant.id)) : null;
    return maskPersonalData(person, account);
  }

  verifyEmail(participantId: string, request: { token: string }): Promise<ParticipantView> {
    return this.takeStep(participantId, (journey) => journey.executeUpdate(verifyEmailUpdate, { args: [request] }));
  }

  resendVerificationEmail(participantId: string): Promise<ParticipantView> {
    return this.takeStep(participantId, (journey) => journey.executeUpdate(resendVerificationEmailUpdate));
  }

  /** Sealed here, like the payout account. */
  correctIdentity(participantId: string, request: { fullName: string; dateOfBirth: string }): Promise<ParticipantView> {
    if (!isUuid(participantId)) throw participantNotFound();
    const sealedIdentity = this.deps.personalData.encrypt(request, ENVELOPE_CONTEXT.identityCorrection(participantId));
    return this.takeStep(participantId, (journey) => journey.executeUpdate(correctIdentityUpdate, { args: [{ sealedIdentity }] }));
  }

  /**
   * The workflow decides (its activity checks the wave again); asking the database first gives
   * the applicant a clear answer for a wave that does not exist or is not open, without a
   * round trip through the workflow's history.
   */
  async applyToWave(participantId: string, request: { waveId: string }): Promise<ParticipantView> {
    if (!isUuid(participantId)) throw participantNotFound();
    const wave = await this.deps.prisma.wave.findUnique({ where: { id: request.waveId }, select: { number: true, state: true, opensAt: true, closesAt: true } });
    if (!wave) throw new UnprocessableError('WAVE_NOT_FOUND', 'No such wave');
    if (!isWaveOpenAt(wave, this.deps.now())) throw new UnprocessableError('WAVE_NOT_OPEN', `Wave ${wave.number} is not open for applications`);
    return this.takeStep(participantId, (journey) => journey.executeUpdate(applyToWaveUpdate, { args: [request] }));
  }

  /** Sealed here: personal data never enters a workflow history readable through the codec. */
  setPayoutAccount(participantId: string, account: PayoutAccount): Promise<ParticipantView> {
    if (!isUuid(participantId)) throw participantNotFound();
    const sealedAccount = this.deps.personalData.encrypt(account, ENVELOPE_CONTEXT.payoutAccount(participantId));
    return this.takeStep(participantId, (journey) => journey.executeUpdate(setPayoutAccountUpdate, { args: [{ sealedAccount }] }));
  }

  submitSurvey(participantId: string, sequence: number, answers: Record<string, unknown>): Promise<ParticipantView> {
    return this.takeStep(participantId, (journey) => journey.executeUpdate(submitSurveyUpdate, { args: [{ sequence, answers }] }));
  }

  withdraw(participantId: string, request: { reason: string }): Promise<ParticipantView> {
    return this.takeStep(participantId, (journey) => journey.executeUpdate(withdrawUpdate, { args: [request] }));
  }

  /** Accepted, the journey leaves by CANCELLED at its next step: that is the stage recorded after. */
  cancel(participantId: string, reason: string, caller: Caller): Promise<ParticipantView> {
    return this.takeOperatorAction(
      participantId,
      { kind: 'CANCEL', reason, caller },
      (journey) => journey.executeUpdate(cancelUpdate, { args: [{ reason, by: caller.name }] }),
      { afterOf: (after) => ({ ...after, stage: 'CANCELLED' }) },
    );
  }

  /** Accepted, the deadline in the journey's state moves and the step waiting on it waits until the new one. */
  extendDeadline(participantId: string, { deadline, extension }: { deadline: ExtendableDeadline; extension: string }, reason: string, caller: Caller): Promise<ParticipantView> {
    return this.takeOperatorAction(
      participantId,
      { kind: 'EXTEND_DEADLINE', reason, caller },
      (journey) => journey.executeUpdate(extendDeadlineUpdate, { args: [{ deadline, extension, by: caller.name }] }),
      { detailOf: (view) => ({ deadline: { name: deadline, at: deadlineIn(view, deadline) } }) },
    );
  }

  /**
   * Temporal's reset to the start of `step` in the current run's history: the run is terminated
   * (if still running) and a new run rebuilt from the events before that point runs the step again
   * with the code deployed now. Nothing is reset when the run never reached the step.
   *
   * Reapply policy: every signal and update that arrived after the point is offered to the new run
   * again (no exclusions; the server's default when the deprecated reset_reapply_type is left unset).
   * Each handler's validator judges it against the re-done state: a payout account given, a
   * withdrawal or a cancellation still count, while a step the new run has not reached again (an
   * application to a wave, a training purchase) is refused and taken again by the participant.
   * Excluding them would silently drop exits and payout accounts; the money itself is safe either
   * way, as every ledger entry and payment is keyed by participant and sequence, never by run.
   */
  async resetJourney(participantId: string, step: ResetStep, reason: string, caller: Caller): Promise<JourneyReset> {
    if (!isUuid(participantId)) throw participantNotFound();
    const workflowId = participantWorkflowId(participantId);
    let previousRunId = '';
    return this.operatorActions.record(
      { participantId, kind: 'RESET_JOURNEY', reason, actor: caller },
      {
        before: async () => {
          const run = await this.readJourneyRun(participantId);
          previousRunId = run.runId;
          return { ...snapshotOf(run.state), runId: run.runId };
        },
        step: async (actionId) => {
          const history = await this.deps.temporal.workflow.getHandle(workflowId, previousRunId).fetchHistory();
          const workflowTaskFinishEventId = findResetPoint(history, step);
          if (workflowTaskFinishEventId === undefined) throw new ResetTargetNotFoundError(step);
          const { runId } = await this.deps.temporal.workflowService
            .resetWorkflowExecution({
              namespace: this.deps.temporal.options.namespace,
              workflowExecution: { workflowId, runId: previousRunId },
              workflowTaskFinishEventId,
              // The action id makes a repeated request (a retried RPC) one reset, and ties the
              // history's reset event to its audit row.
              requestId: actionId,
              reason: `Jalur operator action ${actionId} by ${caller.name}: ${reason}`,
              resetReapplyExcludeTypes: [],
              identity: `jalur-api/${caller.name}`,
            })
            .catch((error: unknown) => {
              // The raw service call throws gRPC errors: a refusal is the caller's to know, the rest an outage.
              if (isGrpcServiceError(error) && GRPC_REFUSALS.has(error.code)) throw new ResetRefusedError(error.details);
              if (isGrpcServiceError(error)) throw new ServiceUnavailableError('TEMPORAL_UNAVAILABLE', 'The workflow service did not reset the journey; read its audit trail before retrying');
              throw error;
            });
          this.deps.logger.info({ participantId, actionId, step, previousRunId, runId }, 'journey reset');
          return { participantId, step, previousRunId, runId, participant: await this.readNewRun(workflowId, runId) };
        },
        after: (reset) => ({
          stage: reset.participant?.stage ?? RESET_POINTS[step].resumesAt,
          payoutBlocked: reset.participant?.payout.blocked ?? null,
          runId: reset.runId,
        }),
        refusalCodeOf: (error) => (error instanceof ResetTargetNotFoundError || error instanceof ResetRefusedError ? error.code : undefined),
      },
    );
  }

  resendVerificationEmailForOperator(participantId: string, reason: string, caller: Caller): Promise<ParticipantView> {
    return this.takeOperatorAction(participantId, { kind: 'RESEND_VERIFICATION_EMAIL', reason, caller }, (journey) => journey.executeUpdate(resendVerificationEmailUpdate));
  }

  /**
   * The journey knows which notices it sent and judges the milestone (422 NOTICE_NOT_SENT); the
   * answer comes once the channel accepted the resend, recorded as a notice row of its own.
   */
  resendNotice(participantId: string, milestone: string, reason: string, caller: Caller): Promise<ParticipantView> {
    return this.takeOperatorAction(
      participantId,
      { kind: 'RESEND_NOTICE', reason, caller },
      (journey) => journey.executeUpdate(resendNoticeUpdate, { args: [{ milestone, by: caller.name }] }),
      { detailOf: () => ({ notice: { milestone } }) },
    );
  }

  /** What the participant was told and when, as the notices table records it: never the content or the address. */
  async notices(participantId: string): Promise<ParticipantNotices> {
    const participant = isUuid(participantId) ? await this.deps.prisma.participant.findUnique({ where: { id: participantId }, select: { id: true } }) : null;
    if (!participant) throw participantNotFound();
    const rows = await this.deps.prisma.participantNotice.findMany({
      where: { participantId },
      orderBy: [{ createdAt: 'asc' }, { milestone: 'asc' }],
      select: { milestone: true, kind: true, channel: true, status: true, attempts: true, createdAt: true, sentAt: true },
    });
    // The kind is a plain string in the database: checked against the contract here.
    return participantNoticesSchema.parse({
      notices: rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), sentAt: row.sentAt?.toISOString() ?? null })),
    });
  }

  retryPayout(participantId: string, reason: string, caller: Caller): Promise<ParticipantView> {
    return this.takeOperatorAction(participantId, { kind: 'RETRY_PAYOUT', reason, caller }, (journey) => journey.executeUpdate(retryPayoutUpdate));
  }

  async auditTrail(participantId: string): Promise<AuditTrail> {
    const participant = isUuid(participantId) ? await this.deps.prisma.participant.findUnique({ where: { id: participantId }, select: { id: true } }) : null;
    if (!participant) throw participantNotFound();
    const [actions, appeals] = await Promise.all([
      this.operatorActions.trailOf(participantId),
      this.deps.prisma.appeal.findMany({ where: { participantId }, orderBy: [{ filedAt: 'asc' }, { id: 'asc' }] }),
    ]);
    return {
      participantId,
      actions: actions.map((action) => ({
        ...action,
        requestedAt: action.requestedAt.toISOString(),
        completedAt: action.completedAt?.toISOString() ?? null,
        before: journeySnapshotSchema.nullable().parse(action.before),
        after: journeySnapshotSchema.nullable().parse(action.after),
      })),
      appealSteps: appeals.flatMap(appealStepsOf),
    };
  }

  async storePhoto(participantId: string, bytes: Buffer, format: PhotoFormat): Promise<PhotoStored> {
    const participant = isUuid(participantId) ? await this.deps.prisma.participant.findUnique({ where: { id: participantId }, select: { id: true } }) : null;
    if (!participant) throw participantNotFound();
    checkPhotoDimensions(bytes, format);
    const photoPath = await this.deps.photoStorage.storePhoto(participantId, bytes, format);
    await this.deps.prisma.participant.update({ where: { id: participantId }, data: { photoPath, photoContentType: format.contentType } });
    await this.deps.photoStorage.removeOtherFormats(participantId, format);
    this.deps.logger.info({ participantId, contentType: format.contentType, sizeBytes: bytes.length }, 'participant photo stored');
    return { participantId, contentType: format.contentType, sizeBytes: bytes.length };
  }

  /**
   * Runs one workflow update. The journey's refusals (ApplicationFailure types) are mapped by
   * the error handler; a journey that cannot be found is explained here from the database.
   */
  private async takeStep(participantId: string, step: (journey: WorkflowHandle) => Promise<ParticipantState>): Promise<ParticipantView> {
    if (!isUuid(participantId)) throw participantNotFound();
    const journey = this.journeyOf(participantId);
    try {
      const state = await this.deps.temporal.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () => step(journey));
      return toParticipantView(state);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw await explainMissingJourney(this.deps.prisma, participantId);
      throw error;
    }
  }

  /**
   * A step an operator takes, recorded in the operator action log. The state before is read
   * first, so a journey that is not there (not started, ended) refuses before anything is
   * recorded; between that read and the update another step may land, which the journey's own
   * validator then judges.
   */
  private takeOperatorAction(
    participantId: string,
    { kind, reason, caller }: { kind: OperatorActionKind; reason: string; caller: Caller },
    step: (journey: WorkflowHandle) => Promise<ParticipantState>,
    {
      afterOf = (after) => after,
      detailOf = () => ({}),
    }: {
      /** The journey after, when it is not yet what the update answered (a cancellation leaves at its next step). */
      afterOf?: (after: JourneySnapshot) => JourneySnapshot;
      /** What the action changes, recorded before and after (a deadline). */
      detailOf?: (view: ParticipantView) => Partial<JourneySnapshot>;
    } = {},
  ): Promise<ParticipantView> {
    if (!isUuid(participantId)) throw participantNotFound();
    return this.operatorActions.record(
      { participantId, kind, reason, actor: caller },
      {
        before: async () => {
          const state = await this.readJourneyState(participantId);
          return { ...snapshotOf(state), ...detailOf(toParticipantView(state)) };
        },
        step: () => this.takeStep(participantId, step),
        after: (view) => afterOf({ stage: view.stage, payoutBlocked: view.payout.blocked, ...detailOf(view) }),
        refusalCodeOf: (error) => (journeyRefusal(error) ?? (error instanceof HttpError && error.status === 409 ? error : undefined))?.code,
      },
    );
  }

  /** The journey's state by its query, within the query timeout; WorkflowNotFoundError before it runs. */
  private queryState(participantId: string): Promise<ParticipantState> {
    return this.deps.temporal.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => this.journeyOf(participantId).query(getStateQuery));
  }

  private async readJourneyState(participantId: string): Promise<ParticipantState> {
    try {
      return await this.queryState(participantId);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw await explainMissingJourney(this.deps.prisma, participantId);
      throw error;
    }
  }

  /** The current run's id and state, read before a reset. */
  private async readJourneyRun(participantId: string): Promise<{ runId: string; state: ParticipantState }> {
    try {
      return await this.deps.temporal.withDeadline(Date.now() + QUERY_TIMEOUT_MS, async () => {
        const { runId } = await this.journeyOf(participantId).describe();
        return { runId, state: await this.deps.temporal.workflow.getHandle(participantWorkflowId(participantId), runId).query(getStateQuery) };
      });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw await explainMissingJourney(this.deps.prisma, participantId);
      throw error;
    }
  }

  /**
   * The new run's state once its first workflow task ran (the server holds the query until then).
   * The reset is done whatever this answers: a run slow to answer is shown as null, not an error.
   */
  private async readNewRun(workflowId: string, runId: string): Promise<ParticipantView | null> {
    try {
      const state = await this.deps.temporal.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => this.deps.temporal.workflow.getHandle(workflowId, runId).query(getStateQuery));
      return toParticipantView(state);
    } catch (error) {
      this.deps.logger.warn({ workflowId, runId, err: error }, 'reset run did not answer its first query');
      return null;
    }
  }

  private journeyOf(participantId: string): WorkflowHandle {
    return this.deps.temporal.workflow.getHandle(participantWorkflowId(participantId));
  }
}

/**
 * An appeal's steps on the participant's audit trail: filed (by the participant), decided (by the
 * reviewer, with the outcome and reason), and what deciding again found. Never the statement.
 */
function appealStepsOf(appeal: Appeal): AppealStepView[] {
  const common = { appealId: appeal.id, appealedStage: appeal.appealedStage, actor: null, actorRole: null, outcome: null, reason: null, rulesBasis: null, result: null };
  const steps: object[] = [
    { ...common, step: 'FILED', at: appeal.filedAt.toISOString(), actorRole: 'participant', identityCorrected: appeal.identityCorrected, withDocument: appeal.documentPath !== null },
  ];
  if (appeal.decidedAt && appeal.status !== 'OPEN') {
    steps.push({ ...common, step: 'DECIDED', at: appeal.decidedAt.toISOString(), actor: appeal.decidedBy, actorRole: 'reviewer', outcome: appeal.status, reason: appeal.decisionReason, rulesBasis: appeal.rulesBasis });
  }
  if (appeal.resultAt && appeal.result) steps.push({ ...common, step: 'RESULT', at: appeal.resultAt.toISOString(), result: appeal.result });
  // The row's stage, basis and result are plain strings in the database: checked against the contract here.
  return appealStepSchema.array().parse(steps);
}

function snapshotOf(state: ParticipantState): JourneySnapshot {
  return { stage: state.stage, payoutBlocked: state.payoutBlocked ?? null };
}

/** A deadline as the participant's view shows it; null when it is not open. */
function deadlineIn(view: ParticipantView, deadline: ExtendableDeadline): string | null {
  switch (deadline) {
    case 'EMAIL_VERIFICATION':
      return view.deadlines.emailVerificationBy;
    case 'IDENTITY_CORRECTION':
      return view.deadlines.identityCorrectionBy;
    case 'TRAINING_PURCHASE':
      return view.deadlines.trainingPurchaseBy;
    case 'SURVEY':
      return view.surveys.find((survey) => survey.status === 'OPEN')?.closesAt ?? null;
  }
}

/** The workflow's state without personal data, absent values as null. */
export function toParticipantView(state: ParticipantState): ParticipantView {
  const { eligibility, training, exit, appeal } = state;
  return {
    participantId: state.participantId,
    stage: state.stage,
    stageChangedAt: state.stageChangedAt,
    eligibility: eligibility
      ? { outcome: eligibility.outcome, reasons: eligibility.reasons, ruleSetId: eligibility.ruleSetId, ruleSetVersion: eligibility.ruleSetVersion, evaluatedAt: eligibility.evaluatedAt }
      : null,
    wave: state.wave ?? null,
    wavesApplied: state.wavesApplied,
    identity: { attempts: state.identityAttempts, problem: state.identityProblem ?? null },
    trainingBalance: state.trainingBalance,
    training: training ? { ...training, completedAt: training.completedAt ?? null } : null,
    payments: state.payments.map(({ kind, sequence, amount, paidAt }) => ({ kind, sequence, amount, paidAt })),
    payout: { hasAccount: state.hasPayoutAccount, blocked: state.payoutBlocked ?? null },
    surveys: state.surveys.map((survey) => ({ sequence: survey.sequence, status: survey.status, opensAt: survey.opensAt ?? null, closesAt: survey.closesAt ?? null })),
    deadlines: {
      emailVerificationBy: state.deadlines.emailVerificationBy ?? null,
      identityCorrectionBy: state.deadlines.identityCorrectionBy ?? null,
      trainingPurchaseBy: state.deadlines.trainingPurchaseBy ?? null,
      nextIncentiveAt: state.deadlines.nextIncentiveAt ?? null,
    },
    calendar: state.calendar,
    terms: state.terms ?? null,
    exit: exit ? { reason: exit.reason, at: exit.at, by: exit.by ?? null, repayment: exit.repayment ?? null } : null,
    appealableUntil: state.appealableUntil ?? null,
    appeal: appeal
      ? {
          appealId: appeal.appealId,
          appealedStage: appeal.appealedStage,
          status: appeal.status,
          filedAt: appeal.filedAt,
          decidedAt: appeal.decidedAt ?? null,
          decidedBy: appeal.decidedBy ?? null,
          rulesBasis: appeal.rulesBasis ?? null,
          result: appeal.result ?? null,
        }
      : null,
    source: 'workflow',
  };
}

/** Before the journey's workflow runs, all there is to show is the registration itself. */
function registrationView(participantId: string, stage: ParticipantView['stage'], stageChangedAt: Date): ParticipantView {
  return {
    participantId,
    stage,
    stageChangedAt: stageChangedAt.toISOString(),
    eligibility: null,
    wave: null,
    wavesApplied: 0,
    identity: { attempts: 0, problem: null },
    trainingBalance: 0,
    training: null,
    payments: [],
    payout: { hasAccount: false, blocked: null },
    surveys: [],
    deadlines: { emailVerificationBy: null, identityCorrectionBy: null, trainingPurchaseBy: null, nextIncentiveAt: null },
    calendar: null,
    terms: null,
    exit: null,
    appealableUntil: null,
    appeal: null,
    source: 'registration',
  };
}
