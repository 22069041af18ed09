// Four eyes on eligibility. A rule-set version reaches people only after a program manager who did
// not write it has read and approved it: the author submits the version (frozen from then on) with
// a comment and the date it should take effect; a different program manager approves it, which
// publishes it, or sends it back to DRAFT with a comment. These are the rules of who may do what,
// pure so that they are tested on their own; the service applies them inside its transactions.
import { ConflictError, HttpError } from '../errors';

/** How far in the past an effective date may lie: clock skew, never enough to re-decide anything. */
export const EFFECTIVE_FROM_TOLERANCE_MS = 60_000;

/** The audit actions that write a version: whoever took one is among its authors. */
export const AUTHORING_ACTIONS = ['CREATED', 'UPDATED', 'SUBMITTED'] as const;

/** A version's author approving it: the second pair of eyes must be someone else's. */
export class SelfApprovalError extends HttpError {
  constructor(approver: string) {
    super(403, 'SELF_APPROVAL', `${approver} wrote or submitted this version; a different program manager approves it`);
  }
}

/** Publishing without review where the program requires it. */
export class ReviewRequiredError extends HttpError {
  constructor() {
    super(409, 'REVIEW_REQUIRED', 'Publishing takes two program managers: submit the version for review (POST …/submit); another program manager approves it');
  }
}

export interface ReviewPolicy {
  /** Two program managers for every publication; one only where a local demo says so. */
  fourEyes: boolean;
}

/** Everyone who wrote a version: its creator and whoever saved or submitted it. */
export function authorsOf(createdBy: string, auditEntries: ReadonlyArray<{ action: string; actor: string }>): Set<string> {
  const authoring: ReadonlySet<string> = new Set(AUTHORING_ACTIONS);
  return new Set([createdBy, ...auditEntries.filter((entry) => authoring.has(entry.action)).map((entry) => entry.actor)]);
}

/** Publishing at once, without review, is only for a program that does not require four eyes. */
export function assertMayPublishDirectly(policy: ReviewPolicy): void {
  if (policy.fourEyes) throw new ReviewRequiredError();
}

export function assertInReview(status: string): void {
  if (status !== 'IN_REVIEW') throw new ConflictError('RULE_SET_NOT_IN_REVIEW', `Only a version in review can be approved or sent back; this one is ${status}`);
}

/** The approver is not among the version's authors (unless the program waives four eyes). */
export function assertMayApprove(version: { status: string; createdBy: string }, auditEntries: ReadonlyArray<{ action: string; actor: string }>, approver: string, policy: ReviewPolicy): void {
  assertInReview(version.status);
  if (policy.fourEyes && authorsOf(version.createdBy, auditEntries).has(approver)) throw new SelfApprovalError(approver);
}

/**
 * When an approved version takes effect: the date its author asked for, or at once when they left
 * it to the approval. A date that passed while the version waited is refused: publishing it later
 * than asked is a different change, which its author should choose (send it back).
 */
export function effectiveFromAtApproval(requested: Date | null, now: Date): Date {
  if (requested === null) return now;
  if (requested.getTime() < now.getTime() - EFFECTIVE_FROM_TOLERANCE_MS) {
    throw new ConflictError('EFFECTIVE_FROM_PASSED', `The version was submitted to take effect at ${requested.toISOString()}, which has passed; send it back for a new date`);
  }
  return requested;
}
