// After an appealable exit the journey stays open for the calendar's appeal window. An appeal
// filed in it (JourneyState's fileAppeal update) waits for a reviewer. Upheld, the exit stands and
// the participant is told why. Overturned, the journey asks the registries again, decides again
// under the rules the reviewer chose, and, eligible, resumes where the person belongs: eligible
// again, or back in the program where they were, the lapsed balance restored and the repayment
// cancelled. Not eligible on the recheck, the exit stands with the new reasons.
import { condition } from '@temporalio/workflow';
import type { AppealDecision, AppealResult, EligibilityReason, Stage } from '../participant-journey.definitions';
import { internal } from './activities';
import { type JourneyEnded, type JourneyState, now } from './journey-state';
import type { JourneyStep } from './steps';

/** Waits for an appeal of the exit and its decision; returns the step to resume at when the participant is reinstated. */
export async function hearAppeal(journey: JourneyState, ended: JourneyEnded): Promise<JourneyStep | undefined> {
  const until = journey.state.appealableUntil;
  if (until === undefined) return undefined;
  // Filed already (while leaving recorded the exit), or filed before the window ends.
  const remaining = Date.parse(until) - Date.now();
  const filed = journey.appealFiling !== undefined || (remaining > 0 && (await condition(() => journey.appealFiling !== undefined, remaining)));
  journey.acceptingAppeals = false;
  if (!filed) return undefined;
  await condition(() => journey.appealDecisionRecorded);
  const decision = journey.appealDecision!;
  if (decision.outcome === 'UPHELD') {
    journey.notify({ kind: 'APPEAL_DECIDED', appealId: decision.appealId, outcome: 'UPHELD', reason: decision.reason, reasons: [] });
    return undefined;
  }
  return reconsider(journey, ended, decision);
}

async function reconsider(journey: JourneyState, ended: JourneyEnded, decision: AppealDecision & { outcome: 'OVERTURNED' }): Promise<JourneyStep | undefined> {
  const { state, participantId } = journey;
  const filing = journey.appealFiling!;
  const settle = async (result: AppealResult, reasons: EligibilityReason[] = []) => {
    state.appeal!.result = result;
    await internal.recordAppealResult({ participantId, appealId: filing.appealId, result, at: now() });
    journey.notify({ kind: 'APPEAL_DECIDED', appealId: filing.appealId, outcome: 'OVERTURNED', reason: decision.reason, result, reasons });
  };
  // Identity first: a rejection on identity, or an appeal resting on a corrected name or date of birth.
  if (ended.stage === 'REJECTED' || filing.sealedIdentity !== undefined) {
    const identity = await journey.outside.dukcapil.verifyAppealIdentityWithDukcapil({ participantId, ...(filing.sealedIdentity ? { sealedIdentity: filing.sealedIdentity } : {}) });
    if (identity.result !== 'MATCH') {
      await settle('IDENTITY_NOT_CONFIRMED');
      return undefined;
    }
    state.identityProblem = undefined;
  }
  // The appealed decision's date: its eligibility decision's, or the exit's when it had none (identity).
  const appealedAt = ended.stage === 'REJECTED' ? state.exit!.at : (state.eligibility?.evaluatedAt ?? state.exit!.at);
  const recheck = await journey.checkEligibility('APPEAL', undefined, decision.rulesBasis === 'ORIGINAL_DECISION_DATE' ? appealedAt : now());
  journey.recordEligibility(recheck);
  if (recheck.outcome === 'INELIGIBLE') {
    await settle('NOT_ELIGIBLE_ON_RECHECK', recheck.reasons);
    return undefined;
  }
  const resumeAt = await reinstate(journey, ended, filing.appealId);
  await settle('REINSTATED');
  return resumeAt;
}

/** Where a revoked participant resumes: the step that was under way when the card was revoked. */
const RESUME_AFTER_REVOCATION: Partial<Record<Stage, JourneyStep>> = {
  SELECTED: 'BUY_TRAINING',
  IN_TRAINING: 'COMPLETE_TRAINING',
  RECEIVING_INCENTIVES: 'INCENTIVES',
  TAKING_SURVEYS: 'SURVEYS',
};

/** Undoes what leaving did to the money, clears the exit, and names the step to resume at. */
async function reinstate(journey: JourneyState, ended: JourneyEnded, appealId: string): Promise<JourneyStep> {
  const { state, participantId } = journey;
  const exit = state.exit!;
  if (exit.lapsedBalance) {
    await internal.recordLedgerEntry({ participantId, kind: 'TRAINING_CREDIT', amount: exit.lapsedBalance, idempotencyKey: `${participantId}:training-restore:${appealId}` });
    state.trainingBalance = exit.lapsedBalance;
  }
  if (exit.repayment) {
    await internal.recordLedgerEntry({ participantId, kind: 'REPAYMENT_CANCELLED', amount: -exit.repayment.amount, idempotencyKey: `${participantId}:repayment-cancel:${appealId}` });
  }
  journey.reinstatements += 1;
  journey.exitRequest = undefined;
  state.exit = undefined;
  state.appealableUntil = undefined;
  return (ended.stage === 'REVOKED' && exit.fromStage && RESUME_AFTER_REVOCATION[exit.fromStage]) || 'WAVES';
}
