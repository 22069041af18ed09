// One participant's whole path, signup to last survey payment, as one durable workflow.
// Deterministic: every decision that needs the world (registry checks, rules, money, mail)
// is an activity; the workflow only sequences them, waits, and keeps the state.
import {
  type ActivityOptions,
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { createActivities } from '../activities';
import {
  applyToWaveUpdate,
  cancelUpdate,
  correctIdentityUpdate,
  type EligibilitySummary,
  FINAL_STAGES,
  getStateQuery,
  IN_PROGRAM_STAGES,
  INCENTIVE_AMOUNT,
  INCENTIVE_COUNT,
  type IdentityCorrectionUpdate,
  JOURNEY_ERROR_TYPES,
  MAX_IDENTITY_ATTEMPTS,
  type ParticipantJourneyInput,
  type ParticipantState,
  type PayoutAccountUpdate,
  recordTrainingEventUpdate,
  reevaluateEligibilitySignal,
  resendVerificationEmailUpdate,
  setPayoutAccountUpdate,
  type Stage,
  submitSurveyUpdate,
  SURVEY_AMOUNT,
  SURVEY_COUNT,
  TRAINING_BALANCE,
  verifyEmailUpdate,
  waveOutcomeSignal,
  withdrawUpdate,
} from './participant-journey.definitions';
import { DEFAULT_PROGRAM_CALENDAR, toMilliseconds } from './program-calendar';
import { type OutsideSystemQueue, outsideSystemTaskQueue } from './outside-system-queues';
import { eligibilityAttribute, provinceAttribute, ruleSetVersionAttribute, stageAttribute, waveAttribute } from './search-attributes';

type Activities = ReturnType<typeof createActivities>;

// One proxy per timeout and retry profile. Outside systems retry for as long as they are down
// (no maximum attempts, Temporal's exponential backoff with jitter): an outage of minutes leaves
// participants waiting, never failed.
const internal = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
/** Exported for the verification-backlog benchmark, which calls Dukcapil with the journey's own profile. */
export const REGISTRY_PROFILE: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
};
const PAYMENT_PROFILE: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', backoffCoefficient: 2 },
};

/**
 * Each outside system's activities on that system's own task queue, next to the journey's, where
 * the worker enforces the system's rate ceiling (server-side, across workers) and concurrency.
 * Built per run: the journey's task queue is known only inside the workflow.
 */
function outsideSystemProxies() {
  const journeyTaskQueue = workflowInfo().taskQueue;
  const on = (system: OutsideSystemQueue, profile: ActivityOptions) =>
    proxyActivities<Activities>({ ...profile, taskQueue: outsideSystemTaskQueue(journeyTaskQueue, system) });
  return {
    dukcapil: on('dukcapil', REGISTRY_PROFILE),
    dtks: on('dtks', REGISTRY_PROFILE),
    dapodik: on('dapodik', REGISTRY_PROFILE),
    kemnaker: on('kemnaker', REGISTRY_PROFILE),
    payments: on('payments', PAYMENT_PROFILE),
  };
}

/** Thrown inside the journey to leave it through one of the ways out. */
class JourneyEnded extends Error {
  constructor(readonly stage: Stage, readonly reason: string) {
    super(reason);
  }
}

const wrongStage = (action: string, stage: Stage) =>
  ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.wrongStage, message: `Cannot ${action} at stage ${stage}`, nonRetryable: true });

export async function participantJourney(input: ParticipantJourneyInput): Promise<ParticipantState> {
  const now = () => new Date().toISOString();
  const state: ParticipantState = {
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
    surveys: Array.from({ length: SURVEY_COUNT }, (_, i) => ({ sequence: i + 1, status: 'UPCOMING' as const })),
    deadlines: {},
  };
  const { participantId } = input;
  const { dukcapil, dtks, dapodik, kemnaker, payments } = outsideSystemProxies();
  let emailTokenHash: string | undefined;
  let emailsSent = 0;
  let emailVerified = false;
  let identityCorrected = false;
  let waveApplicationPending = false;
  let exitRequest: JourneyEnded | undefined;
  const purchasedPlatforms = new Set<string>();
  const submittedSurveys = new Set<number>();

  const moveTo = async (stage: Stage, extra: Partial<ParticipantState> = {}) => {
    Object.assign(state, extra, { stage, stageChangedAt: now() });
    upsertSearchAttributes([{ key: stageAttribute, value: stage }]);
    await internal.recordStage({ participantId, stage, at: state.stageChangedAt });
  };
  /** Waits for `ready` or `timeout`; an exit requested meanwhile ends the journey. */
  const waitFor = async (ready: () => boolean, timeout?: string): Promise<boolean> => {
    const met = timeout
      ? await condition(() => ready() || exitRequest !== undefined, toMilliseconds(timeout))
      : (await condition(() => ready() || exitRequest !== undefined), true);
    if (exitRequest) throw exitRequest;
    return met;
  };
  const throwIfExitRequested = () => {
    if (exitRequest) throw exitRequest;
  };
  const deadlineAfter = (duration: string) => new Date(Date.now() + toMilliseconds(duration)).toISOString();
  const assertNotFinished = (action: string) => {
    if (FINAL_STAGES.has(state.stage) || exitRequest) throw wrongStage(action, state.stage);
  };

  setHandler(getStateQuery, () => state);

  setHandler(
    verifyEmailUpdate,
    () => {
      emailVerified = true;
      return state;
    },
    {
      validator: ({ token }) => {
        if (state.stage !== 'AWAITING_EMAIL_VERIFICATION' || emailVerified) throw wrongStage('verify email', state.stage);
        if (!emailTokenHash || bytesToHex(sha256(utf8ToBytes(String(token)))) !== emailTokenHash) {
          throw ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.invalidToken, message: 'The verification token is not valid', nonRetryable: true });
        }
      },
    },
  );

  setHandler(
    resendVerificationEmailUpdate,
    async () => {
      // A new attempt number gives a new token; the previous one stops working.
      const sent = await internal.sendVerificationEmail({ participantId, attempt: ++emailsSent });
      emailTokenHash = sent.tokenHash;
      return state;
    },
    { validator: () => { if (state.stage !== 'AWAITING_EMAIL_VERIFICATION' || emailVerified) throw wrongStage('resend the verification email', state.stage); } },
  );

  setHandler(
    correctIdentityUpdate,
    async (correction) => {
      await internal.storeIdentityCorrection({ participantId, ...correction });
      identityCorrected = true;
      return state;
    },
    { validator: (_correction: IdentityCorrectionUpdate) => { if (state.stage !== 'AWAITING_IDENTITY_CORRECTION' || identityCorrected) throw wrongStage('correct identity data', state.stage); } },
  );

  /** Records the application and moves to APPLIED_TO_WAVE: the participant's own step, or a carry-over. */
  const applyTo = async (waveId: string, carriedOverFromWaveId?: string) => {
    waveApplicationPending = true;
    try {
      const application = await internal.recordWaveApplication({
        participantId,
        waveId,
        priorityPoints: state.eligibility?.priorityPoints ?? 0,
        province: input.province,
        at: now(),
        ...(carriedOverFromWaveId ? { carriedOverFromWaveId } : {}),
      });
      state.wave = { waveId, number: application.waveNumber, outcome: 'PENDING' };
      state.calendar = application.calendar;
      state.wavesApplied += 1;
      upsertSearchAttributes([{ key: waveAttribute, value: application.waveNumber }]);
      await moveTo('APPLIED_TO_WAVE');
    } finally {
      waveApplicationPending = false;
    }
  };

  setHandler(
    applyToWaveUpdate,
    async ({ waveId }) => {
      await applyTo(waveId);
      return state;
    },
    { validator: (_application: { waveId: string }) => { if (state.stage !== 'ELIGIBLE' || waveApplicationPending) throw wrongStage('apply to a wave', state.stage); } },
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
    { validator: (_account: PayoutAccountUpdate) => assertNotFinished('set the payout account') },
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
        purchasedPlatforms.add(event.platformId);
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
          throw ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.insufficientBalance, message: 'The training costs more than the remaining balance', nonRetryable: true });
        }
        if (!buying && (state.stage !== 'IN_TRAINING' || state.training?.completedAt)) throw wrongStage('complete training', state.stage);
        if (!buying && !purchasedPlatforms.has(event.platformId)) {
          throw ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.trainingPlatformMismatch, message: 'No training was bought on this platform', nonRetryable: true });
        }
      },
    },
  );

  setHandler(
    submitSurveyUpdate,
    ({ sequence }) => {
      submittedSurveys.add(sequence);
      state.surveys[sequence - 1]!.status = 'SUBMITTED';
      return state;
    },
    {
      validator: ({ sequence }) => {
        if (state.surveys[sequence - 1]?.status !== 'OPEN' || submittedSurveys.has(sequence)) {
          throw ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.surveyNotOpen, message: `Survey ${sequence} is not open`, nonRetryable: true });
        }
      },
    },
  );

  setHandler(
    withdrawUpdate,
    ({ reason }) => {
      exitRequest = new JourneyEnded('WITHDRAWN', reason);
      return state;
    },
    { validator: (_withdrawal: { reason: string }) => assertNotFinished('withdraw') },
  );

  setHandler(
    cancelUpdate,
    ({ reason, by }) => {
      exitRequest = new JourneyEnded('CANCELLED', reason);
      state.exit = { reason, at: now(), by };
      return state;
    },
    { validator: (_cancellation: { reason: string; by: string }) => assertNotFinished('cancel') },
  );

  /** The three registry checks, then the decision by the version in force or, re-evaluating, the one named. */
  const checkEligibility = async (trigger: 'INITIAL' | 'REEVALUATION', ruleSetId?: string): Promise<EligibilitySummary> => {
    const [socialAid, student, laidOff] = await Promise.all([
      dtks.checkSocialAidWithDtks({ participantId }),
      dapodik.checkStudentStatusWithDapodik({ participantId }),
      kemnaker.checkLaidOffListWithKemnaker({ participantId }),
    ]);
    return internal.decideEligibility({
      participantId,
      evaluatedAt: now(),
      trigger,
      ruleSetId,
      checks: { identityStatus: 'MATCH', isStudent: student.isStudent, socialAidPrograms: socialAid.programs, onLaidOffList: laidOff.onList },
      profile: { employmentStatus: input.employmentStatus, microBusinessLostIncome: input.microBusinessLostIncome, province: input.province, channel: input.channel },
    });
  };
  const recordEligibility = (decision: EligibilitySummary) => {
    state.eligibility = decision;
    upsertSearchAttributes([
      { key: eligibilityAttribute, value: decision.outcome },
      { key: ruleSetVersionAttribute, value: decision.ruleSetVersion },
    ]);
  };

  // Only participants in the program are re-checked: before that, the main flow's own decision uses
  // the version in force; after the end there is nothing left to decide. One at a time, so the last
  // request answered is the last one recorded.
  const reevaluationsSeen = new Set<string>();
  let reevaluating = false;
  const inProgram = () => IN_PROGRAM_STAGES.has(state.stage) && !exitRequest;
  setHandler(reevaluateEligibilitySignal, async ({ requestId, ruleSetId, requestedBy }) => {
    if (reevaluationsSeen.has(requestId) || !inProgram()) return;
    reevaluationsSeen.add(requestId);
    await condition(() => !reevaluating);
    reevaluating = true;
    try {
      if (!inProgram()) return;
      const decision = await checkEligibility('REEVALUATION', ruleSetId);
      if (!inProgram()) return;
      recordEligibility(decision);
      if (decision.outcome === 'INELIGIBLE') {
        // Once the balance was credited the participant has had the program's money: revoked, and
        // leave() makes paid incentives repayable.
        const benefited = state.trainingBalance > 0 || state.training !== undefined || state.payments.length > 0;
        const reason = `Re-evaluated under rule set version ${decision.ruleSetVersion}: ${decision.reasons.map((r) => r.code).join(', ')}`;
        state.exit = { reason, at: now(), by: requestedBy };
        exitRequest = new JourneyEnded(benefited ? 'REVOKED' : 'INELIGIBLE', reason);
      }
    } catch (error) {
      // A refused decision (the version was retired meanwhile) leaves the journey as it was.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('Re-evaluation not applied', { participantId, requestId, ruleSetId, cause: error.cause?.message });
    } finally {
      reevaluating = false;
    }
  });

  upsertSearchAttributes([{ key: provinceAttribute, value: input.province }]);

  async function verifyEmail() {
    state.calendar = await internal.loadProgramCalendar({ at: input.registeredAt });
    state.deadlines.emailVerificationBy = deadlineAfter(state.calendar.emailVerificationWindow);
    emailTokenHash = (await internal.sendVerificationEmail({ participantId, attempt: ++emailsSent })).tokenHash;
    if (!(await waitFor(() => emailVerified, state.calendar.emailVerificationWindow))) {
      throw new JourneyEnded('EXPIRED', 'Email not verified in time');
    }
    state.deadlines.emailVerificationBy = undefined;
    await internal.recordMilestone({ participantId, milestone: 'emailVerifiedAt', at: now() });
  }

  async function verifyIdentity(): Promise<'MATCH'> {
    for (;;) {
      await moveTo('VERIFYING_IDENTITY');
      state.identityAttempts += 1;
      const check = await dukcapil.verifyIdentityWithDukcapil({ participantId });
      if (check.result === 'MATCH') {
        state.identityProblem = undefined;
        await internal.recordMilestone({ participantId, milestone: 'nikVerifiedAt', at: now() });
        return 'MATCH';
      }
      if (check.result === 'DECEASED') throw new JourneyEnded('REJECTED', 'IDENTITY_DECEASED');
      state.identityProblem = check.result;
      if (state.identityAttempts >= MAX_IDENTITY_ATTEMPTS) throw new JourneyEnded('REJECTED', `IDENTITY_${check.result}`);
      identityCorrected = false;
      state.deadlines.identityCorrectionBy = deadlineAfter(state.calendar.identityCorrectionWindow);
      await moveTo('AWAITING_IDENTITY_CORRECTION');
      if (!(await waitFor(() => identityCorrected, state.calendar.identityCorrectionWindow))) {
        throw new JourneyEnded('REJECTED', `IDENTITY_${check.result}_NOT_CORRECTED`);
      }
      state.deadlines.identityCorrectionBy = undefined;
    }
  }

  async function decideEligibility() {
    await moveTo('CHECKING_ELIGIBILITY');
    const decision = await checkEligibility('INITIAL');
    recordEligibility(decision);
    if (decision.outcome === 'INELIGIBLE') throw new JourneyEnded('INELIGIBLE', decision.reasons.map((r) => r.code).join(', '));
  }

  /** Eligible participants apply to a wave; not selected, they may apply to a later one. */
  async function joinWaveUntilSelected() {
    for (;;) {
      await moveTo('ELIGIBLE');
      const notSelectedIn = state.wave?.outcome === 'NOT_SELECTED' ? state.wave.waveId : undefined;
      if (notSelectedIn && patched('wave-carry-over')) await carryOver(notSelectedIn);
      await waitFor(() => state.stage === 'APPLIED_TO_WAVE');
      await waitFor(() => state.wave?.outcome !== 'PENDING');
      if (state.wave?.outcome === 'SELECTED') return;
    }
  }

  /**
   * When the program carries participants over (an activity reads the setting), one not selected
   * applies to the next wave as soon as it opens, unless they applied somewhere first. A wave
   * that is no longer open by then leaves them ELIGIBLE, free to apply themselves.
   */
  async function carryOver(fromWaveId: string) {
    const next = await internal.findCarryOverWave({ afterWaveId: fromWaveId });
    if (!next) return;
    const untilOpen = Date.parse(next.opensAt) - Date.now();
    if (untilOpen > 0) await condition(() => state.stage !== 'ELIGIBLE' || exitRequest !== undefined, untilOpen);
    throwIfExitRequested();
    if (state.stage !== 'ELIGIBLE' || waveApplicationPending) return;
    try {
      await applyTo(next.waveId, fromWaveId);
    } catch (error) {
      if (!(error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable)) throw error;
      log.info('Carry-over to the next wave refused', { participantId, waveId: next.waveId, type: error.cause.type });
    }
  }

  async function train() {
    await internal.recordLedgerEntry({ participantId, kind: 'TRAINING_CREDIT', amount: TRAINING_BALANCE, idempotencyKey: `${participantId}:training-credit` });
    state.trainingBalance = TRAINING_BALANCE;
    state.deadlines.trainingPurchaseBy = deadlineAfter(state.calendar.trainingPurchaseDeadline);
    await moveTo('SELECTED');
    if (!(await waitFor(() => state.training !== undefined, state.calendar.trainingPurchaseDeadline))) {
      throw new JourneyEnded('REVOKED', 'TRAINING_NOT_PURCHASED_IN_TIME');
    }
    state.deadlines.trainingPurchaseBy = undefined;
    await moveTo('IN_TRAINING');
    await internal.recordMilestone({ participantId, milestone: 'trainingPurchasedAt', at: state.training!.purchasedAt });
    await waitFor(() => state.training?.completedAt !== undefined);
    await internal.recordMilestone({ participantId, milestone: 'trainingCompletedAt', at: state.training!.completedAt! });
  }

  /** Pays one item, waiting for a usable payout account as long as it takes. */
  async function pay(kind: 'INCENTIVE' | 'SURVEY', sequence: number, amount: number) {
    for (;;) {
      throwIfExitRequested();
      const result = await payments.payParticipant({ participantId, kind, sequence, amount });
      if (result.status === 'PAID') {
        state.payments.push({ kind, sequence, amount, idempotencyKey: result.idempotencyKey, paidAt: result.paidAt });
        return;
      }
      state.payoutBlocked = result.status;
      await waitFor(() => state.payoutBlocked === undefined);
    }
  }

  async function payIncentives() {
    // Incentives only after training is completed (2020's anti-corruption review flagged the opposite).
    state.deadlines.nextIncentiveAt = deadlineAfter(state.calendar.firstIncentiveDelay);
    await moveTo('RECEIVING_INCENTIVES');
    await waitFor(() => false, state.calendar.firstIncentiveDelay);
    for (let sequence = 1; sequence <= INCENTIVE_COUNT; sequence++) {
      await pay('INCENTIVE', sequence, INCENTIVE_AMOUNT);
      if (sequence < INCENTIVE_COUNT) {
        state.deadlines.nextIncentiveAt = deadlineAfter(state.calendar.incentiveInterval);
        await waitFor(() => false, state.calendar.incentiveInterval);
      }
    }
    state.deadlines.nextIncentiveAt = undefined;
  }

  async function takeSurveys() {
    await moveTo('TAKING_SURVEYS');
    for (const survey of state.surveys) {
      await waitFor(() => false, state.calendar.surveyInterval);
      Object.assign(survey, { status: 'OPEN', opensAt: now(), closesAt: deadlineAfter(state.calendar.surveyWindow) });
      if (await waitFor(() => submittedSurveys.has(survey.sequence), state.calendar.surveyWindow)) {
        await pay('SURVEY', survey.sequence, SURVEY_AMOUNT);
      } else {
        survey.status = 'MISSED';
      }
    }
  }

  /** Ends the journey through a way out: the balance lapses, and paid money becomes repayable on revocation. */
  async function leave(ended: JourneyEnded) {
    state.exit = { ...state.exit, reason: ended.reason, at: state.exit?.at ?? now() };
    if (state.trainingBalance > 0) {
      await internal.recordLedgerEntry({ participantId, kind: 'TRAINING_LAPSE', amount: -state.trainingBalance, idempotencyKey: `${participantId}:training-lapse` });
      state.trainingBalance = 0;
    }
    const paidOut = state.payments.reduce((sum, payment) => sum + payment.amount, 0);
    if (ended.stage === 'REVOKED' && paidOut > 0) {
      const dueAt = deadlineAfter(state.calendar.repaymentPeriod);
      await internal.recordLedgerEntry({ participantId, kind: 'REPAYMENT_DUE', amount: paidOut, idempotencyKey: `${participantId}:repayment`, dueAt });
      state.exit.repayment = { amount: paidOut, dueAt };
    }
    state.deadlines = {};
    await moveTo(ended.stage);
    await internal.recordExit({ participantId, stage: ended.stage, reason: ended.reason, at: state.exit.at });
  }

  try {
    await verifyEmail();
    await verifyIdentity();
    await decideEligibility();
    await joinWaveUntilSelected();
    await train();
    await payIncentives();
    await takeSurveys();
    await moveTo('COMPLETED');
    await internal.recordMilestone({ participantId, milestone: 'completedAt', at: now() });
  } catch (error) {
    if (isCancellation(error) || !(error instanceof JourneyEnded)) throw error;
    log.info('Journey ended early', { participantId, stage: error.stage });
    await leave(error);
  }
  // Let update handlers that are still running (e.g. a payout account being stored) finish.
  await condition(allHandlersFinished);
  log.info('Journey finished', { participantId, stage: state.stage, workflowId: workflowInfo().workflowId });
  return state;
}
