// The journey's state, the flags its steps wait on, and the message handlers that change them
// (the shape of Temporal's safe-message-handlers sample). Handlers run between the steps' awaits:
// what a handler claims (a balance, an application) it claims before its own first await.
import { ActivityFailure, ApplicationFailure, condition, log, patched, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { type Notice, noticeMilestone } from '../../notices/notice';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import {
  type AppealDecision,
  type AppealFiling,
  type AppealableStage,
  APPEALABLE_STAGES,
  applyToWaveUpdate,
  cancelUpdate,
  resendNoticeUpdate,
  decideAppealUpdate,
  fileAppealUpdate,
  correctIdentityUpdate,
  type EligibilityReevaluationRequest,
  type EligibilitySummary,
  type ExtendableDeadline,
  extendDeadlineUpdate,
  FINAL_STAGES,
  getStateQuery,
  IN_PROGRAM_STAGES,
  type IdentityCorrectionUpdate,
  JOURNEY_ERROR_TYPES,
  type ParticipantJourneyInput,
  type ParticipantState,
  type PayoutAccountUpdate,
  recordTrainingEventUpdate,
  reevaluateEligibilitySignal,
  resendVerificationEmailUpdate,
  retryPayoutUpdate,
  setPayoutAccountUpdate,
  type Stage,
  submitSurveyUpdate,
  verifyEmailUpdate,
  waveOutcomeSignal,
  withdrawUpdate,
} from '../participant-journey.definitions';
import { DEFAULT_PROGRAM_TERMS, type ProgramTerms } from '../../lib/program-terms';
import { DEFAULT_PROGRAM_CALENDAR, maxDeadlineExtensionOf, toMilliseconds } from '../../lib/program-calendar';
import { eligibilityAttribute, ruleSetVersionAttribute, stageAttribute, waveAttribute } from '../search-attributes';
import { internal, outsideSystemProxies } from './activities';
import { isBusinessRefusal } from './refusals';

/** Workflow time (the current workflow task's), so replay computes the same instants. */
export const now = () => new Date().toISOString();
export const deadlineAfter = (duration: string) => new Date(Date.now() + toMilliseconds(duration)).toISOString();

/** The eligibility decision that ended a journey, and whether it was a re-evaluation's. */
export interface EndingDecision {
  summary: EligibilitySummary;
  reevaluation: boolean;
}

/** Thrown inside the journey to leave it through one of the ways out. */
export class JourneyEnded extends Error {
  constructor(readonly stage: Stage, readonly reason: string, readonly decision?: EndingDecision) {
    super(reason);
  }
}

const refusal = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
const wrongStage = (action: string, stage: Stage) => refusal(JOURNEY_ERROR_TYPES.wrongStage, `Cannot ${action} at stage ${stage}`);

export class JourneyState {
  readonly participantId: string;
  readonly state: ParticipantState;
  readonly outside = outsideSystemProxies();
  /** A way out asked for by a message (withdrawal, cancellation, re-evaluation): the next wait leaves by it. */
  exitRequest: JourneyEnded | undefined;
  emailTokenHash: string | undefined;
  emailVerified = false;
  identityCorrected = false;
  /** While an application is being recorded, neither the participant nor a carry-over applies again. */
  waveApplicationPending = false;
  readonly submittedSurveys = new Set<number>();
  private emailsSent = 0;
  private readonly purchasedPlatforms = new Set<string>();
  private readonly reevaluationsSeen = new Set<string>();
  private reevaluating = false;
  /** The deadlines open now that an operator may move, with how far they were moved already. */
  private readonly movableDeadlines = new Map<ExtendableDeadline, { extendedMs: number }>();
  /** The deadlines open now that wait on a fixed timer, opened before the 'deadline-extension' patch. */
  private readonly fixedDeadlines = new Set<ExtendableDeadline>();
  /** Notices on their way: the journey goes on meanwhile, and waits for them only before it returns. */
  private readonly noticesInFlight: Array<Promise<void>> = [];
  /** Every notice sent, by milestone, and how many were resent: what an operator may send again. */
  private readonly noticesSentByMilestone = new Map<string, Notice>();
  private noticeResends = 0;
  /** While the journey waits for an appeal of its exit (participant-journey/appeals.ts). */
  acceptingAppeals = false;
  /** The appeal of the current exit, as filed (with its sealed correction), and the reviewer's decision once recorded. */
  appealFiling: AppealFiling | undefined;
  appealDecision: AppealDecision | undefined;
  appealDecisionRecorded = false;
  /** How many times an overturned appeal brought the participant back: the ledger keys of a later exit carry it. */
  reinstatements = 0;

  constructor(readonly input: ParticipantJourneyInput) {
    this.participantId = input.participantId;
    this.state = {
      participantId: input.participantId,
      stage: 'AWAITING_EMAIL_VERIFICATION',
      stageChangedAt: input.registeredAt,
      province: input.province,
      wavesApplied: 0,
      calendar: DEFAULT_PROGRAM_CALENDAR,
      identityAttempts: 0,
      trainingBalance: 0,
      payments: [],
      hasPayoutAccount: false,
      surveys: [],
      deadlines: {},
    };
  }

  /** The program's money and counts, which every step that credits, pays or counts reads: the kept terms, the 2020 ones until then. */
  get terms(): ProgramTerms {
    return this.state.terms ?? DEFAULT_PROGRAM_TERMS;
  }

  /** Keeps the terms of the wave the participant was selected in, and lays out their surveys. */
  keepTerms(terms: ProgramTerms) {
    this.state.terms = terms;
    this.state.surveys = Array.from({ length: terms.surveyCount }, (_, i) => ({ sequence: i + 1, status: 'UPCOMING' as const }));
  }

  async moveTo(stage: Stage) {
    Object.assign(this.state, { stage, stageChangedAt: now() });
    upsertSearchAttributes([{ key: stageAttribute, value: stage }]);
    await internal.recordStage({ participantId: this.participantId, stage, at: this.state.stageChangedAt });
  }

  /** Waits for `ready` or `timeout`; an exit requested meanwhile ends the journey. */
  async waitFor(ready: () => boolean, timeout?: string): Promise<boolean> {
    const met = timeout
      ? await condition(() => ready() || this.exitRequest !== undefined, toMilliseconds(timeout))
      : (await condition(() => ready() || this.exitRequest !== undefined), true);
    this.throwIfExitRequested();
    return met;
  }

  /**
   * Sets a deadline in the state and decides, once, whether operators may move it: from the
   * 'deadline-extension' patch on, yes (an extension accepted before the step starts waiting is
   * honoured too, as the wait reads the deadline from the state). Histories recorded before the
   * patch waited with one fixed timer, and replay that way.
   */
  openDeadline(deadline: ExtendableDeadline, at: string) {
    this.moveDeadline(deadline, at);
    if (patched('deadline-extension')) this.movableDeadlines.set(deadline, { extendedMs: 0 });
    else this.fixedDeadlines.add(deadline);
  }

  /**
   * Waits for `ready` until the deadline opened with openDeadline. A movable one is read from the
   * state, which an operator may change meanwhile (extendDeadlineUpdate): a move wakes the wait,
   * which sets its timer again to the new deadline. A fixed one is one timer of `window`, as before
   * the patch. An exit requested meanwhile ends the journey.
   */
  async waitBeforeDeadline(deadline: ExtendableDeadline, ready: () => boolean, window: string): Promise<boolean> {
    try {
      if (this.fixedDeadlines.has(deadline)) return await this.waitFor(ready, window);
      return await this.waitBeforeMovable(deadline, ready, 0);
    } finally {
      this.movableDeadlines.delete(deadline);
      this.fixedDeadlines.delete(deadline);
    }
  }

  /** Where each extendable deadline is kept in the state (the survey's is the open survey's window). */
  deadlineAt(deadline: ExtendableDeadline): string | undefined {
    const { deadlines, surveys } = this.state;
    switch (deadline) {
      case 'EMAIL_VERIFICATION':
        return deadlines.emailVerificationBy;
      case 'IDENTITY_CORRECTION':
        return deadlines.identityCorrectionBy;
      case 'TRAINING_PURCHASE':
        return deadlines.trainingPurchaseBy;
      case 'SURVEY':
        return surveys.find((survey) => survey.status === 'OPEN')?.closesAt;
    }
  }

  private moveDeadline(deadline: ExtendableDeadline, at: string) {
    const { deadlines, surveys } = this.state;
    switch (deadline) {
      case 'EMAIL_VERIFICATION':
        deadlines.emailVerificationBy = at;
        break;
      case 'IDENTITY_CORRECTION':
        deadlines.identityCorrectionBy = at;
        break;
      case 'TRAINING_PURCHASE':
        deadlines.trainingPurchaseBy = at;
        break;
      case 'SURVEY': {
        const open = surveys.find((survey) => survey.status === 'OPEN');
        if (open) open.closesAt = at;
        break;
      }
    }
  }

  /**
   * Waits for `ready` until `leadMs` before a movable deadline opened with openDeadline (a move
   * moves this instant too): true if ready first. The deadline stays open. An exit requested
   * meanwhile ends the journey.
   */
  async waitUntilBeforeDeadline(deadline: ExtendableDeadline, ready: () => boolean, leadMs: number): Promise<boolean> {
    if (!this.movableDeadlines.has(deadline)) return ready();
    return this.waitBeforeMovable(deadline, ready, leadMs);
  }

  private async waitBeforeMovable(deadline: ExtendableDeadline, ready: () => boolean, leadMs: number): Promise<boolean> {
    for (;;) {
      this.throwIfExitRequested();
      if (ready()) return true;
      const at = this.deadlineAt(deadline);
      const remaining = at === undefined ? 0 : Date.parse(at) - leadMs - Date.now();
      if (remaining <= 0) return false;
      await condition(() => ready() || this.exitRequest !== undefined || this.deadlineAt(deadline) !== at, remaining);
    }
  }

  /**
   * Whether this journey tells the participant of its milestones: from the 'milestone-notices'
   * patch on. A history recorded before it replays without notices up to where it was, and sends
   * them from there on.
   */
  notifies(): boolean {
    return patched('milestone-notices');
  }

  /**
   * Tells the participant of a milestone (activities/notices.ts, once per participant and
   * milestone). Alongside the journey: a mail server that is down delays the notice, never the
   * journey. A refusal (an address the mail server will never accept) is logged, not fatal.
   */
  notify(notice: Notice): void {
    if (!this.notifies()) return;
    this.noticesSentByMilestone.set(noticeMilestone(notice), notice);
    const sending = internal.sendNotice({ participantId: this.participantId, notice }).then(
      () => undefined,
      (error: unknown) => log.warn('Notice not sent', { participantId: this.participantId, kind: notice.kind, cause: error instanceof ActivityFailure ? error.cause?.message : String(error) }),
    );
    this.noticesInFlight.push(sending);
  }

  /** A new exit is open to one appeal until `until`: what an earlier exit's appeal left is cleared. */
  openAppealWindow(until: string) {
    this.appealFiling = undefined;
    this.appealDecision = undefined;
    this.appealDecisionRecorded = false;
    this.acceptingAppeals = true;
    this.state.appealableUntil = until;
  }

  /** Resolves once every notice sent so far has been handed over (or refused). */
  async noticesSent(): Promise<void> {
    await Promise.all(this.noticesInFlight);
  }

  /** Waits out `duration`; an exit requested meanwhile ends the journey. */
  pause(duration: string): Promise<boolean> {
    return this.waitFor(() => false, duration);
  }

  throwIfExitRequested() {
    if (this.exitRequest) throw this.exitRequest;
  }

  /** A new attempt number gives a new token; the caller keeps its hash, and the previous token stops working. */
  sendVerificationEmail() {
    return internal.sendVerificationEmail({ participantId: this.participantId, attempt: ++this.emailsSent });
  }

  /** Records the application and moves to APPLIED_TO_WAVE: the participant's own step, or a carry-over. */
  async applyTo(waveId: string, carriedOverFromWaveId?: string) {
    this.waveApplicationPending = true;
    try {
      const application = await internal.recordWaveApplication({
        participantId: this.participantId,
        waveId,
        priorityPoints: this.state.eligibility?.priorityPoints ?? 0,
        province: this.input.province,
        at: now(),
        ...(carriedOverFromWaveId ? { carriedOverFromWaveId } : {}),
      });
      this.state.wave = { waveId, number: application.waveNumber, outcome: 'PENDING' };
      this.state.calendar = application.calendar;
      this.state.wavesApplied += 1;
      upsertSearchAttributes([{ key: waveAttribute, value: application.waveNumber }]);
      await this.moveTo('APPLIED_TO_WAVE');
      this.notify({ kind: 'APPLIED_TO_WAVE', waveId, waveNumber: application.waveNumber, carriedOver: carriedOverFromWaveId !== undefined });
    } finally {
      this.waveApplicationPending = false;
    }
  }

  /**
   * The registry checks, then the decision by the version in force or, re-evaluating, the one
   * named; an appeal may ask for the version that was in force at another instant.
   */
  async checkEligibility(trigger: 'INITIAL' | 'REEVALUATION' | 'APPEAL', ruleSetId?: string, rulesInForceAt?: string): Promise<EligibilitySummary> {
    const { participantId, input } = this;
    const { dtks, dapodik, kemnaker, participationRegistry } = this.outside;
    // A journey that gathered its facts before the participation registry existed replays without it.
    const asksParticipationRegistry = patched('participation-registry');
    const [socialAid, student, laidOff, pastParticipations] = await Promise.all([
      dtks.checkSocialAidWithDtks({ participantId }),
      dapodik.checkStudentStatusWithDapodik({ participantId }),
      kemnaker.checkLaidOffListWithKemnaker({ participantId }),
      asksParticipationRegistry ? participationRegistry.countPastParticipationsInRegistry({ participantId }) : undefined,
    ]);
    return internal.decideEligibility({
      participantId,
      evaluatedAt: now(),
      trigger,
      ruleSetId,
      ...(rulesInForceAt ? { rulesInForceAt } : {}),
      checks: {
        // Identity was verified before: the journey never gets here without a MATCH.
        identityStatus: 'MATCH',
        isStudent: student.isStudent,
        socialAidPrograms: socialAid.programs,
        onLaidOffList: laidOff.onList,
        ...(pastParticipations ? { previousParticipations: pastParticipations.count } : {}),
      },
      profile: { employmentStatus: input.employmentStatus, microBusinessLostIncome: input.microBusinessLostIncome, province: input.province, channel: input.channel },
    });
  }

  recordEligibility(decision: EligibilitySummary) {
    this.state.eligibility = decision;
    upsertSearchAttributes([
      { key: eligibilityAttribute, value: decision.outcome },
      { key: ruleSetVersionAttribute, value: decision.ruleSetVersion },
    ]);
  }

  /** Registers every signal, update and query, in the order the recorded histories expect. */
  handleMessages() {
    const { state, participantId } = this;
    setHandler(getStateQuery, () => state);

    setHandler(
      verifyEmailUpdate,
      () => {
        this.emailVerified = true;
        return state;
      },
      {
        validator: ({ token }) => {
          if (state.stage !== 'AWAITING_EMAIL_VERIFICATION' || this.emailVerified) throw wrongStage('verify email', state.stage);
          if (!this.emailTokenHash || bytesToHex(sha256(utf8ToBytes(String(token)))) !== this.emailTokenHash) {
            throw refusal(JOURNEY_ERROR_TYPES.invalidToken, 'The verification token is not valid');
          }
        },
      },
    );

    setHandler(
      resendVerificationEmailUpdate,
      async () => {
        this.emailTokenHash = (await this.sendVerificationEmail()).tokenHash;
        return state;
      },
      { validator: () => { if (state.stage !== 'AWAITING_EMAIL_VERIFICATION' || this.emailVerified) throw wrongStage('resend the verification email', state.stage); } },
    );

    setHandler(
      correctIdentityUpdate,
      async (correction) => {
        await internal.storeIdentityCorrection({ participantId, ...correction });
        this.identityCorrected = true;
        return state;
      },
      { validator: (_correction: IdentityCorrectionUpdate) => { if (state.stage !== 'AWAITING_IDENTITY_CORRECTION' || this.identityCorrected) throw wrongStage('correct identity data', state.stage); } },
    );

    setHandler(
      applyToWaveUpdate,
      async ({ waveId }) => {
        await this.applyTo(waveId);
        return state;
      },
      { validator: (_application: { waveId: string }) => { if (state.stage !== 'ELIGIBLE' || this.waveApplicationPending) throw wrongStage('apply to a wave', state.stage); } },
    );

    setHandler(waveOutcomeSignal, ({ waveId, selected }) => {
      if (state.wave?.waveId !== waveId || state.wave.outcome !== 'PENDING') return;
      state.wave.outcome = selected ? 'SELECTED' : 'NOT_SELECTED';
    });

    setHandler(
      setPayoutAccountUpdate,
      async (account) => {
        await internal.storePayoutAccount({ participantId, account });
        state.hasPayoutAccount = true;
        state.payoutBlocked = undefined;
        return state;
      },
      { validator: (_account: PayoutAccountUpdate) => this.assertNotFinished('set the payout account') },
    );

    setHandler(
      recordTrainingEventUpdate,
      async (event) => {
        if (event.type === 'PURCHASED') {
          // Reserve before the first await: handlers interleave there, and two purchases must
          // never spend the same rupiah. The ledger activity is retried until it succeeds.
          state.trainingBalance -= event.price;
          await internal.recordLedgerEntry({
            participantId,
            kind: 'TRAINING_PURCHASE',
            amount: -event.price,
            idempotencyKey: `${participantId}:training-purchase:${event.platformId}:${event.eventId}`,
          });
          this.purchasedPlatforms.add(event.platformId);
          state.training ??= { platformId: event.platformId, courseId: event.courseId, purchasedAt: now() };
        } else if (state.training) {
          state.training.completedAt = now();
        }
        return state;
      },
      {
        validator: (event) => {
          const buying = event.type === 'PURCHASED';
          if (buying && state.stage !== 'SELECTED' && state.stage !== 'IN_TRAINING') throw wrongStage('buy training', state.stage);
          if (buying && event.price > state.trainingBalance) {
            throw refusal(JOURNEY_ERROR_TYPES.insufficientBalance, 'The training costs more than the remaining balance');
          }
          if (!buying && (state.stage !== 'IN_TRAINING' || state.training?.completedAt)) throw wrongStage('complete training', state.stage);
          if (!buying && !this.purchasedPlatforms.has(event.platformId)) {
            throw refusal(JOURNEY_ERROR_TYPES.trainingPlatformMismatch, 'No training was bought on this platform');
          }
        },
      },
    );

    setHandler(
      submitSurveyUpdate,
      ({ sequence }) => {
        this.submittedSurveys.add(sequence);
        state.surveys[sequence - 1]!.status = 'SUBMITTED';
        return state;
      },
      {
        validator: ({ sequence }) => {
          if (state.surveys[sequence - 1]?.status !== 'OPEN' || this.submittedSurveys.has(sequence)) {
            throw refusal(JOURNEY_ERROR_TYPES.surveyNotOpen, `Survey ${sequence} is not open`);
          }
        },
      },
    );

    setHandler(
      withdrawUpdate,
      ({ reason }) => {
        this.exitRequest = new JourneyEnded('WITHDRAWN', reason);
        return state;
      },
      { validator: (_withdrawal: { reason: string }) => this.assertNotFinished('withdraw') },
    );

    setHandler(
      cancelUpdate,
      ({ reason, by }) => {
        this.exitRequest = new JourneyEnded('CANCELLED', reason);
        state.exit = { reason, at: now(), by };
        return state;
      },
      { validator: (_cancellation: { reason: string; by: string }) => this.assertNotFinished('cancel') },
    );

    setHandler(reevaluateEligibilitySignal, (request) => this.reevaluateEligibility(request));

    // Clearing the block wakes pay(), which asks again under the same idempotency key. Without an
    // account there is nothing to retry: the participant's new account clears that block.
    setHandler(
      retryPayoutUpdate,
      () => {
        state.payoutBlocked = undefined;
        return state;
      },
      {
        validator: () => {
          this.assertNotFinished('retry the payout');
          if (state.payoutBlocked === undefined || state.payoutBlocked === 'NO_PAYOUT_ACCOUNT') {
            throw refusal(JOURNEY_ERROR_TYPES.payoutNotBlocked, state.payoutBlocked ? 'The payment waits for a payout account, not for a retry' : 'No payment is waiting to be retried');
          }
        },
      },
    );

    // The participant appeals their exit: recorded for the reviewers; the journey waits for the decision (appeals.ts).
    setHandler(
      fileAppealUpdate,
      async (filing) => {
        const appealedStage = state.stage as AppealableStage;
        this.appealFiling = filing;
        state.appeal = { appealId: filing.appealId, appealedStage, status: 'OPEN', filedAt: now() };
        const { exit, eligibility } = state;
        await internal.recordAppeal({
          participantId,
          appealId: filing.appealId,
          appealedStage,
          appealedDecision: {
            reason: exit!.reason,
            exitedAt: exit!.at,
            ...(exit!.by ? { by: exit!.by } : {}),
            // An identity rejection comes before any eligibility decision; the others rest on the latest one.
            ...(appealedStage !== 'REJECTED' && eligibility ? { eligibility } : {}),
          },
          sealedStatement: filing.sealedStatement,
          identityCorrected: filing.sealedIdentity !== undefined,
          ...(filing.document ? { document: filing.document } : {}),
          filedAt: state.appeal.filedAt,
          windowEndsAt: state.appealableUntil!,
        });
        this.notify({ kind: 'APPEAL_RECEIVED', appealId: filing.appealId });
        return state;
      },
      { validator: (_filing: AppealFiling) => this.assertAppealable() },
    );

    setHandler(
      decideAppealUpdate,
      async (decision) => {
        const appeal = state.appeal!;
        Object.assign(appeal, { status: decision.outcome, decidedAt: now(), decidedBy: decision.by }, decision.outcome === 'OVERTURNED' ? { rulesBasis: decision.rulesBasis } : {});
        this.appealDecision = decision;
        await internal.recordAppealDecision({ decision, decidedAt: appeal.decidedAt! });
        this.appealDecisionRecorded = true;
        return state;
      },
      {
        validator: ({ appealId }: AppealDecision) => {
          if (state.appeal?.appealId !== appealId || state.appeal.status !== 'OPEN' || this.appealDecision) {
            throw refusal(JOURNEY_ERROR_TYPES.appealNotOpen, `Appeal ${appealId} is not open`);
          }
        },
      },
    );

    // An operator sends a notice again; the answer says once the channel accepted it.
    setHandler(
      resendNoticeUpdate,
      async ({ milestone }) => {
        const resend = ++this.noticeResends;
        let outcome: string;
        try {
          ({ outcome } = await internal.sendNotice({ participantId, notice: this.noticesSentByMilestone.get(milestone)!, resend }));
        } catch (error) {
          if (!isBusinessRefusal(error)) throw error;
          throw refusal(JOURNEY_ERROR_TYPES.noticeRefused, `The channel refused the notice: ${error.cause.type}`);
        }
        // Erased by the retention job: there is no address left to send it to.
        if (outcome !== 'SENT') throw refusal(JOURNEY_ERROR_TYPES.noticeRefused, 'The participant\'s contact data has been erased');
        return state;
      },
      {
        validator: ({ milestone }: { milestone: string; by: string }) => {
          if (!this.noticesSentByMilestone.has(milestone)) throw refusal(JOURNEY_ERROR_TYPES.noticeNotSent, `No notice of milestone ${milestone} was sent`);
        },
      },
    );

    // An operator moves a deadline the journey waits on; the wait wakes and sets its timer again.
    setHandler(
      extendDeadlineUpdate,
      ({ deadline, extension }) => {
        const extensionMs = toMilliseconds(extension);
        this.movableDeadlines.get(deadline)!.extendedMs += extensionMs;
        this.moveDeadline(deadline, new Date(Date.parse(this.deadlineAt(deadline)!) + extensionMs).toISOString());
        return state;
      },
      { validator: ({ deadline, extension }) => this.assertExtensionAllowed(deadline, extension) },
    );
  }

  /** The deadline is open and movable, and all its extensions together stay within the calendar's limit. */
  private assertExtensionAllowed(deadline: ExtendableDeadline, extension: string) {
    this.assertNotFinished('extend a deadline');
    const at = this.deadlineAt(deadline);
    if (this.fixedDeadlines.has(deadline)) {
      throw refusal(JOURNEY_ERROR_TYPES.deadlineNotExtendable, `The ${deadline} deadline was set before deadlines could be extended; it cannot move`);
    }
    const movable = this.movableDeadlines.get(deadline);
    if (!movable || at === undefined) throw refusal(JOURNEY_ERROR_TYPES.deadlineNotOpen, `No ${deadline} deadline is open at stage ${this.state.stage}`);
    let extensionMs: number;
    try {
      extensionMs = toMilliseconds(extension);
    } catch {
      extensionMs = 0;
    }
    if (!(extensionMs > 0)) throw refusal(JOURNEY_ERROR_TYPES.invalidInput, 'The extension must be an ISO-8601 duration longer than zero');
    const limit = maxDeadlineExtensionOf(this.state.calendar);
    if (movable.extendedMs + extensionMs > toMilliseconds(limit)) {
      const granted = movable.extendedMs > 0 ? `; already extended by PT${movable.extendedMs / 1000}S` : '';
      throw refusal(JOURNEY_ERROR_TYPES.deadlineExtensionOverLimit, `The ${deadline} deadline may be extended by at most ${limit} in all${granted}`);
    }
  }

  /** An appealable exit, its window open (the journey waits for an appeal), and none filed for it yet. */
  private assertAppealable() {
    const { stage, appealableUntil } = this.state;
    if (!(APPEALABLE_STAGES as readonly Stage[]).includes(stage)) throw wrongStage('appeal', stage);
    if (this.appealFiling) throw refusal(JOURNEY_ERROR_TYPES.appealAlreadyFiled, 'This decision has been appealed already');
    if (!this.acceptingAppeals || appealableUntil === undefined || Date.now() >= Date.parse(appealableUntil)) {
      throw refusal(JOURNEY_ERROR_TYPES.appealWindowClosed, appealableUntil ? `The appeal window closed at ${appealableUntil}` : 'This exit can no longer be appealed');
    }
  }

  private assertNotFinished(action: string) {
    if (FINAL_STAGES.has(this.state.stage) || this.exitRequest) throw wrongStage(action, this.state.stage);
  }

  private inProgram() {
    return IN_PROGRAM_STAGES.has(this.state.stage) && !this.exitRequest;
  }

  // Only participants in the program are re-checked: before that, the main flow's own decision uses
  // the version in force; after the end there is nothing left to decide. One at a time, so the last
  // request answered is the last one recorded.
  private async reevaluateEligibility({ requestId, ruleSetId, requestedBy }: EligibilityReevaluationRequest) {
    if (this.reevaluationsSeen.has(requestId) || !this.inProgram()) return;
    this.reevaluationsSeen.add(requestId);
    await condition(() => !this.reevaluating);
    this.reevaluating = true;
    try {
      if (!this.inProgram()) return;
      const decision = await this.checkEligibility('REEVALUATION', ruleSetId);
      if (!this.inProgram()) return;
      this.recordEligibility(decision);
      if (decision.outcome === 'INELIGIBLE') {
        // Once the balance was credited the participant has had the program's money: revoked, and
        // leave() makes paid incentives repayable.
        const { state } = this;
        const benefited = state.trainingBalance > 0 || state.training !== undefined || state.payments.length > 0;
        const reason = `Re-evaluated under rule set version ${decision.ruleSetVersion}: ${decision.reasons.map((r) => r.code).join(', ')}`;
        state.exit = { reason, at: now(), by: requestedBy };
        this.exitRequest = new JourneyEnded(benefited ? 'REVOKED' : 'INELIGIBLE', reason, { summary: decision, reevaluation: true });
      }
    } catch (error) {
      // A refused decision (the version was retired meanwhile) leaves the journey as it was.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('Re-evaluation not applied', { participantId: this.participantId, requestId, ruleSetId, cause: error.cause?.message });
    } finally {
      this.reevaluating = false;
    }
  }
}
