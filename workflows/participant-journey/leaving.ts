// Every way out ends here: the balance lapses, paid money becomes repayable on revocation, and
// the participant is told why (and, for an appealable exit, until when they may appeal).
import { patched } from '@temporalio/workflow';
import type { Notice } from '../../notices/notice';
import { appealWindowOf } from '../../lib/program-calendar';
import { APPEALABLE_STAGES, type ParticipantState, type Stage } from '../participant-journey.definitions';
import { internal } from './activities';
import { deadlineAfter, type JourneyEnded, type JourneyState, now } from './journey-state';

export async function leave(journey: JourneyState, ended: JourneyEnded) {
  const { state, participantId } = journey;
  // After a reinstatement, a second exit's ledger entries are new movements, not the first exit's again.
  const occasion = journey.reinstatements > 0 ? `:${journey.reinstatements}` : '';
  state.exit = { ...state.exit, reason: ended.reason, at: state.exit?.at ?? now(), fromStage: state.stage };
  if (state.trainingBalance > 0) {
    await internal.recordLedgerEntry({ participantId, kind: 'TRAINING_LAPSE', amount: -state.trainingBalance, idempotencyKey: `${participantId}:training-lapse${occasion}` });
    state.exit.lapsedBalance = state.trainingBalance;
    state.trainingBalance = 0;
  }
  const paidOut = state.payments.reduce((sum, payment) => sum + payment.amount, 0);
  if (ended.stage === 'REVOKED' && paidOut > 0) {
    const dueAt = deadlineAfter(state.calendar.repaymentPeriod);
    await internal.recordLedgerEntry({ participantId, kind: 'REPAYMENT_DUE', amount: paidOut, idempotencyKey: `${participantId}:repayment${occasion}`, dueAt });
    state.exit.repayment = { amount: paidOut, dueAt };
  }
  state.deadlines = {};
  // A survey open at the exit closes untaken: a reinstated participant is given it again.
  for (const survey of state.surveys) if (survey.status === 'OPEN') Object.assign(survey, { status: 'UPCOMING', opensAt: undefined, closesAt: undefined });
  // From the 'appeals' patch on, an appealable exit is open to an appeal for the calendar's window,
  // from the moment the stage says so (hearAppeal waits for it).
  if (isAppealable(ended.stage) && patched('appeals')) journey.openAppealWindow(deadlineAfter(appealWindowOf(state.calendar)));
  await journey.moveTo(ended.stage);
  await internal.recordExit({ participantId, stage: ended.stage, reason: ended.reason, at: state.exit.at });
  journey.notify(exitNotice(ended, state));
}

function isAppealable(stage: Stage): boolean {
  return (APPEALABLE_STAGES as readonly Stage[]).includes(stage);
}

/** What the participant is told on leaving: the decision's every reason, what to repay and by when, until when to appeal. */
function exitNotice(ended: JourneyEnded, state: ParticipantState): Notice {
  const exit = state.exit!;
  const appealBy = state.appealableUntil ? { appealBy: state.appealableUntil } : {};
  switch (ended.stage) {
    case 'REJECTED':
      return { kind: 'IDENTITY_REJECTED', problem: ended.reason === 'IDENTITY_DECEASED' ? 'DECEASED' : (state.identityProblem ?? 'MISMATCH'), at: exit.at, ...appealBy };
    case 'INELIGIBLE': {
      const decision = ended.decision?.summary ?? state.eligibility!;
      return { kind: 'INELIGIBLE', reasons: decision.reasons, ruleSetVersion: decision.ruleSetVersion, evaluatedAt: decision.evaluatedAt, reevaluation: ended.decision?.reevaluation ?? false, ...appealBy };
    }
    case 'REVOKED':
      return { kind: 'REVOKED', reason: ended.reason, reasons: ended.decision?.summary.reasons ?? [], at: exit.at, ...(exit.repayment ? { repayment: exit.repayment } : {}), ...appealBy };
    case 'EXPIRED':
    case 'WITHDRAWN':
    case 'CANCELLED':
      return { kind: ended.stage };
    default:
      throw new Error(`A journey does not leave at stage ${ended.stage}`);
  }
}
