// The participant journey's contract: stages, state, signals, updates and queries. The API
// imports this file without importing workflow code.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PayoutAccount } from '../lib/payout-account';
import type { ProgramCalendar } from '../lib/program-calendar';
import type { ProgramTerms } from '../lib/program-terms';
import type { EmploymentStatus, RegistrationChannel } from '../rules/facts';

export const PARTICIPANT_JOURNEY_WORKFLOW = 'participantJourney';
export const participantWorkflowId = (participantId: string) => `participant-${participantId}`;

export const MAX_IDENTITY_ATTEMPTS = 3;

/**
 * Where a participant stands. The first group is the path, the second every way out.
 * Documented in README.md; the search attribute JalurStage carries the same names.
 */
export const STAGES = [
  'AWAITING_EMAIL_VERIFICATION',
  'VERIFYING_IDENTITY',
  'AWAITING_IDENTITY_CORRECTION',
  'CHECKING_ELIGIBILITY',
  'ELIGIBLE',
  'APPLIED_TO_WAVE',
  'SELECTED',
  'IN_TRAINING',
  'RECEIVING_INCENTIVES',
  'TAKING_SURVEYS',
  'COMPLETED',
  'EXPIRED',
  'REJECTED',
  'INELIGIBLE',
  'REVOKED',
  'WITHDRAWN',
  'CANCELLED',
] as const;
export type Stage = (typeof STAGES)[number];
export const FINAL_STAGES: ReadonlySet<Stage> = new Set(['COMPLETED', 'EXPIRED', 'REJECTED', 'INELIGIBLE', 'REVOKED', 'WITHDRAWN', 'CANCELLED']);

export type { EmploymentStatus, RegistrationChannel };

/** The workflow's input carries no personal data: activities read it, encrypted, from the database. */
export interface ParticipantJourneyInput {
  participantId: string;
  province: string;
  employmentStatus: EmploymentStatus;
  microBusinessLostIncome: boolean;
  channel: RegistrationChannel;
  registeredAt: string;
}

export interface EligibilityReason {
  code: string;
  message: string;
  /** The legal basis (regulation and article), where the deciding version gives it. */
  reference?: string;
  /** What the criterion means for the person, in Bahasa Indonesia and English, where the version gives it. */
  messages?: { id: string; en: string };
}

export interface EligibilitySummary {
  outcome: 'ELIGIBLE' | 'INELIGIBLE';
  reasons: EligibilityReason[];
  priorityPoints: number;
  ruleSetId: string;
  ruleSetVersion: number;
  evaluatedAt: string;
}

export interface PaymentRecord {
  kind: 'INCENTIVE' | 'SURVEY';
  sequence: number;
  amount: number;
  idempotencyKey: string;
  paidAt: string;
}

/**
 * Why a payment waits: no payout account; the provider refused the account (closed, or details it
 * cannot pay to); or the provider refused the payment itself for another reason (the ledger row's
 * failureCode says which). A new payout account clears the block and the payment is tried again
 * under the same idempotency key.
 */
export const PAYOUT_BLOCKED_REASONS = ['NO_PAYOUT_ACCOUNT', 'ACCOUNT_CLOSED', 'ACCOUNT_INVALID', 'PAYMENT_REFUSED'] as const;
export type PayoutBlockedReason = (typeof PAYOUT_BLOCKED_REASONS)[number];

export interface ParticipantState {
  participantId: string;
  stage: Stage;
  stageChangedAt: string;
  province: string;
  eligibility?: EligibilitySummary;
  wave?: { waveId: string; number: number; outcome: 'PENDING' | 'SELECTED' | 'NOT_SELECTED' };
  wavesApplied: number;
  calendar: ProgramCalendar;
  /** The terms of the wave the participant was selected in, kept from the selection on; unset before. */
  terms?: ProgramTerms;
  identityAttempts: number;
  identityProblem?: 'MISMATCH' | 'NOT_FOUND';
  trainingBalance: number;
  training?: { platformId: string; courseId: string; purchasedAt: string; completedAt?: string };
  payments: PaymentRecord[];
  /** Set while a payment waits for the participant to give or fix a payout account. */
  payoutBlocked?: PayoutBlockedReason;
  hasPayoutAccount: boolean;
  /** One per survey of the terms: empty until the selection, when the terms (and so their count) are known. */
  surveys: Array<{ sequence: number; status: 'UPCOMING' | 'OPEN' | 'SUBMITTED' | 'MISSED'; opensAt?: string; closesAt?: string }>;
  deadlines: { emailVerificationBy?: string; identityCorrectionBy?: string; trainingPurchaseBy?: string; nextIncentiveAt?: string };
  exit?: {
    reason: string;
    at: string;
    by?: string;
    repayment?: { amount: number; dueAt: string };
    /** Where the journey stood when it ended, and the training balance that lapsed then: what a reinstatement restores. */
    fromStage?: Stage;
    lapsedBalance?: number;
  };
  /** Until when the exit may be appealed; set on leaving by an appealable way out. */
  appealableUntil?: string;
  /** The latest appeal, from its filing to its result. */
  appeal?: AppealState;
}

/** The ways out a participant may appeal: a decision on eligibility, on identity, or a revocation. */
export const APPEALABLE_STAGES = ['INELIGIBLE', 'REJECTED', 'REVOKED'] as const;
export type AppealableStage = (typeof APPEALABLE_STAGES)[number];

/** Which rules decide again when an appeal is overturned: those in force at the appealed decision, or today's. */
export const APPEAL_RULES_BASES = ['ORIGINAL_DECISION_DATE', 'TODAY'] as const;
export type AppealRulesBasis = (typeof APPEAL_RULES_BASES)[number];

/**
 * What deciding again after an overturn found: the participant is back (eligible again, or back in
 * the program where they were); or still not eligible under the rules chosen; or Dukcapil still
 * does not confirm the identity. Either of the last two leaves the journey where it ended.
 */
export const APPEAL_RESULTS = ['REINSTATED', 'NOT_ELIGIBLE_ON_RECHECK', 'IDENTITY_NOT_CONFIRMED'] as const;
export type AppealResult = (typeof APPEAL_RESULTS)[number];

export interface AppealState {
  appealId: string;
  appealedStage: AppealableStage;
  status: 'OPEN' | 'UPHELD' | 'OVERTURNED';
  filedAt: string;
  decidedAt?: string;
  decidedBy?: string;
  rulesBasis?: AppealRulesBasis;
  /** Set once an overturned appeal has been decided again. */
  result?: AppealResult;
}

/**
 * An appeal as the API hands it to the journey. Personal data sealed by the API (like an identity
 * correction): the statement, and the corrected name and date of birth when the appeal rests on a
 * registry correction. The document, if any, is stored by the API under the appeal's id.
 */
export interface AppealFiling {
  appealId: string;
  sealedStatement: string;
  sealedIdentity?: string;
  document?: { contentType: string; path: string };
}

/** A reviewer's decision. The API checks first that the reviewer took no part in the appealed decision. */
export type AppealDecision =
  | { appealId: string; outcome: 'UPHELD'; reason: string; by: string }
  | { appealId: string; outcome: 'OVERTURNED'; reason: string; by: string; rulesBasis: AppealRulesBasis };

/**
 * Personal data an update carries is sealed by the API with the personal-data key (AES-256-GCM,
 * bound to the participant) before it enters the workflow's history: the payload codec encrypts
 * histories, but whoever may decode them (operators in the Temporal UI) must not read a name or an
 * account number there. The plain shapes are what histories recorded before sealing carry.
 */
export type IdentityCorrectionUpdate = { sealedIdentity: string } | { fullName: string; dateOfBirth: string };
export type PayoutAccountUpdate = { sealedAccount: string } | PayoutAccount;

// Updates: the API's state-changing calls. Validators reject before anything reaches history,
// so the HTTP answer says whether the step was accepted.
export const verifyEmailUpdate = defineUpdate<ParticipantState, [{ token: string }]>('verifyEmail');
export const resendVerificationEmailUpdate = defineUpdate<ParticipantState, []>('resendVerificationEmail');
export const correctIdentityUpdate = defineUpdate<ParticipantState, [IdentityCorrectionUpdate]>('correctIdentity');
export const applyToWaveUpdate = defineUpdate<ParticipantState, [{ waveId: string }]>('applyToWave');
export const setPayoutAccountUpdate = defineUpdate<ParticipantState, [PayoutAccountUpdate]>('setPayoutAccount');
export const submitSurveyUpdate = defineUpdate<ParticipantState, [{ sequence: number; answers: Record<string, unknown> }]>('submitSurvey');
export const withdrawUpdate = defineUpdate<ParticipantState, [{ reason: string }]>('withdraw');
export const cancelUpdate = defineUpdate<ParticipantState, [{ reason: string; by: string }]>('cancel');
/**
 * An operator sends a notice again (the participant says it never came): the milestone as the
 * journey sent it (e.g. `INELIGIBLE:<evaluatedAt>`, listed by GET /v1/participants/:id/notices),
 * as a new message with a key of its own (`<milestone>:resend-<n>`), so it is also once only.
 */
export const resendNoticeUpdate = defineUpdate<ParticipantState, [{ milestone: string; by: string }]>('resendNotice');
/** An operator, once the account or the refusal's cause is fixed outside Jalur: the waiting payment is tried again. */
export const retryPayoutUpdate = defineUpdate<ParticipantState, []>('retryPayout');
/**
 * The deadlines an operator may move while the journey waits on them: the verification mail's
 * window, the identity correction's, the first training purchase's, and the open survey's window.
 */
export const EXTENDABLE_DEADLINES = ['EMAIL_VERIFICATION', 'IDENTITY_CORRECTION', 'TRAINING_PURCHASE', 'SURVEY'] as const;
export type ExtendableDeadline = (typeof EXTENDABLE_DEADLINES)[number];
/** `extension` is an ISO-8601 duration; all extensions of one open deadline stay within the calendar's maxDeadlineExtension. */
export interface DeadlineExtension {
  deadline: ExtendableDeadline;
  extension: string;
  by: string;
}
export const extendDeadlineUpdate = defineUpdate<ParticipantState, [DeadlineExtension]>('extendDeadline');
export const recordTrainingEventUpdate = defineUpdate<
  ParticipantState,
  [{ eventId: string; type: 'PURCHASED' | 'COMPLETED'; platformId: string; courseId: string; price: number }]
>('recordTrainingEvent');

/** The stages of a participant in the program: a re-evaluation applies to these only. */
export const IN_PROGRAM_STAGES: ReadonlySet<Stage> = new Set(['ELIGIBLE', 'APPLIED_TO_WAVE', 'SELECTED', 'IN_TRAINING', 'RECEIVING_INCENTIVES', 'TAKING_SURVEYS']);

/**
 * A program manager asked for participants in the program to be checked again against a published
 * version. `requestId` (the re-evaluation's id) makes a repeated signal a no-op.
 */
export interface EligibilityReevaluationRequest {
  requestId: string;
  ruleSetId: string;
  requestedBy: string;
}

// Signals: outcomes decided elsewhere (wave selection) and requests to decide again (re-evaluation).
export const waveOutcomeSignal = defineSignal<[{ waveId: string; selected: boolean }]>('waveOutcome');
export const reevaluateEligibilitySignal = defineSignal<[EligibilityReevaluationRequest]>('reevaluateEligibility');

/** The participant appeals their exit (INELIGIBLE, REJECTED, REVOKED) within the calendar's appeal window; one appeal per exit. */
export const fileAppealUpdate = defineUpdate<ParticipantState, [AppealFiling]>('fileAppeal');
/** A reviewer upholds the exit or overturns it; overturned, the journey decides again and resumes where the person belongs. */
export const decideAppealUpdate = defineUpdate<ParticipantState, [AppealDecision]>('decideAppeal');

export const getStateQuery = defineQuery<ParticipantState>('getState');

/** Business refusals carried by ApplicationFailure.type; the API maps them to HTTP codes. */
export const JOURNEY_ERROR_TYPES = {
  wrongStage: 'WRONG_STAGE',
  invalidToken: 'INVALID_TOKEN',
  waveNotOpen: 'WAVE_NOT_OPEN',
  alreadyApplied: 'ALREADY_APPLIED',
  trainingPlatformMismatch: 'TRAINING_PLATFORM_MISMATCH',
  insufficientBalance: 'INSUFFICIENT_BALANCE',
  surveyNotOpen: 'SURVEY_NOT_OPEN',
  invalidInput: 'INVALID_INPUT',
  payoutNotBlocked: 'PAYOUT_NOT_BLOCKED',
  deadlineNotOpen: 'DEADLINE_NOT_OPEN',
  /** The journey waits on the deadline with a timer set before deadlines could move (before the 'deadline-extension' patch). */
  deadlineNotExtendable: 'DEADLINE_NOT_EXTENDABLE',
  deadlineExtensionOverLimit: 'DEADLINE_EXTENSION_OVER_LIMIT',
  /** The exit may no longer be appealed: the window has closed (or it is not an appealable exit). */
  appealWindowClosed: 'APPEAL_WINDOW_CLOSED',
  /** An appeal of this exit is open, or was decided already: one appeal per exit. */
  appealAlreadyFiled: 'APPEAL_ALREADY_FILED',
  /** No open appeal with this id (decided already, or another one). */
  appealNotOpen: 'APPEAL_NOT_OPEN',
  /** The journey sent no notice of this milestone (yet). */
  noticeNotSent: 'NOTICE_NOT_SENT',
  /** The mail server or the messaging gateway refused the resent notice for good (an address it will never take). */
  noticeRefused: 'NOTICE_REFUSED',
} as const;
