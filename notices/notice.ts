// What the journey tells a participant, and when: one notice per milestone. The journey sends a
// Notice (no personal data: the activity reads the name and address, and renders the template);
// its key makes it once per participant and milestone, whoever retries or replays.
// Pure: workflow code, activities and tests share it.

/** A failed criterion as the deciding rule-set version words it (its code alone where it gives no message). */
export interface NoticeReason {
  code: string;
  /** The staff description: the fallback where the version gives no message for the person. */
  message: string;
  reference?: string;
  messages?: { id: string; en: string };
}

export interface NoticeRepayment {
  amount: number;
  dueAt: string;
}

export type IdentityProblem = 'MISMATCH' | 'NOT_FOUND' | 'DECEASED';

export type Notice =
  | { kind: 'EMAIL_VERIFIED' }
  /** Dukcapil did not confirm the NIK with the name and date of birth given: what to correct, by when. */
  | { kind: 'IDENTITY_PROBLEM'; attempt: number; problem: 'MISMATCH' | 'NOT_FOUND'; correctBy: string; attemptsLeft: number }
  | { kind: 'IDENTITY_REJECTED'; problem: IdentityProblem; at: string; appealBy?: string }
  | { kind: 'ELIGIBLE' }
  /** Every failed criterion; `evaluatedAt` names the decision (a later one may decide again). */
  | { kind: 'INELIGIBLE'; reasons: NoticeReason[]; ruleSetVersion: number; evaluatedAt: string; reevaluation: boolean; appealBy?: string }
  | { kind: 'APPLIED_TO_WAVE'; waveId: string; waveNumber: number; carriedOver: boolean }
  | { kind: 'SELECTED'; waveId: string; waveNumber: number; trainingBalance: number; purchaseBy: string }
  | { kind: 'NOT_SELECTED'; waveId: string; waveNumber: number }
  | { kind: 'PURCHASE_REMINDER'; purchaseBy: string; trainingBalance: number }
  | { kind: 'TRAINING_COMPLETED' }
  | { kind: 'PAYMENT'; payment: 'INCENTIVE' | 'SURVEY'; sequence: number; of: number; amount: number }
  | { kind: 'SURVEY_OPEN'; sequence: number; of: number; closesAt: string; amount: number }
  /** The card taken back: the reason's code, the decision's reasons where a re-evaluation revoked it, and what must be repaid. */
  | { kind: 'REVOKED'; reason: string; reasons: NoticeReason[]; at: string; repayment?: NoticeRepayment; appealBy?: string }
  | { kind: 'EXPIRED' }
  | { kind: 'WITHDRAWN' }
  | { kind: 'CANCELLED' }
  | { kind: 'COMPLETED'; totalPaid: number }
  /** The appeal reached the reviewers. */
  | { kind: 'APPEAL_RECEIVED'; appealId: string }
  /**
   * The reviewer's decision and its reason. Overturned, the result of deciding again: back in the
   * program, or (with the reasons) still not eligible, or the identity still not confirmed.
   */
  | {
      kind: 'APPEAL_DECIDED';
      appealId: string;
      outcome: 'UPHELD' | 'OVERTURNED';
      reason: string;
      result?: 'REINSTATED' | 'NOT_ELIGIBLE_ON_RECHECK' | 'IDENTITY_NOT_CONFIRMED';
      reasons: NoticeReason[];
    };

export type NoticeKind = Notice['kind'];

export const NOTICE_KINDS = [
  'EMAIL_VERIFIED',
  'IDENTITY_PROBLEM',
  'IDENTITY_REJECTED',
  'ELIGIBLE',
  'INELIGIBLE',
  'APPLIED_TO_WAVE',
  'SELECTED',
  'NOT_SELECTED',
  'PURCHASE_REMINDER',
  'TRAINING_COMPLETED',
  'PAYMENT',
  'SURVEY_OPEN',
  'REVOKED',
  'EXPIRED',
  'WITHDRAWN',
  'CANCELLED',
  'COMPLETED',
  'APPEAL_RECEIVED',
  'APPEAL_DECIDED',
] as const satisfies readonly NoticeKind[];

/**
 * The milestone a notice marks, unique per participant: the kind, and for kinds that recur the
 * occasion (the attempt, the wave, the payment, the decision). The notices table's unique key.
 */
export function noticeMilestone(notice: Notice): string {
  switch (notice.kind) {
    case 'IDENTITY_PROBLEM':
      return `${notice.kind}:${notice.attempt}`;
    case 'INELIGIBLE':
      return `${notice.kind}:${notice.evaluatedAt}`;
    case 'APPLIED_TO_WAVE':
    case 'SELECTED':
    case 'NOT_SELECTED':
      return `${notice.kind}:${notice.waveId}`;
    case 'PAYMENT':
      return `${notice.kind}:${notice.payment}:${notice.sequence}`;
    case 'SURVEY_OPEN':
      return `${notice.kind}:${notice.sequence}`;
    case 'IDENTITY_REJECTED':
    case 'REVOKED':
      return `${notice.kind}:${notice.at}`;
    case 'APPEAL_RECEIVED':
    case 'APPEAL_DECIDED':
      return `${notice.kind}:${notice.appealId}`;
    default:
      return notice.kind;
  }
}

/** How a participant is reached: by email over SMTP, or by text message through the messaging gateway (SMS or WhatsApp). */
export const NOTICE_CHANNELS = ['EMAIL', 'SMS'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/** The languages Jalur speaks to participants in: notices carry both (Bahasa Indonesia first), the status view the participant's. */
export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
