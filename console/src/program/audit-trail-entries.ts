// A participant's audit trail as one list: the operator actions and the steps of their appeals,
// oldest first, each appeal step told in words (filed; upheld or overturned, by whom and why; what
// deciding again found).
import type { AppealStepView, AuditTrail, OperatorActionView } from '../../../api/participants/participant.schema';
import type { Messages } from '../shared/i18n';

export type AuditTrailEntry = { kind: 'action'; at: string; action: OperatorActionView } | { kind: 'appealStep'; at: string; step: AppealStepView };

/** Merged by time; at the same moment an action comes before an appeal step, and each list keeps its own order (the sort is stable). */
export function auditTrailEntries(trail: Pick<AuditTrail, 'actions' | 'appealSteps'>): AuditTrailEntry[] {
  const entries: AuditTrailEntry[] = [
    ...trail.actions.map((action) => ({ kind: 'action' as const, at: action.requestedAt, action })),
    ...trail.appealSteps.map((step) => ({ kind: 'appealStep' as const, at: step.at, step })),
  ];
  return entries.sort((one, other) => Date.parse(one.at) - Date.parse(other.at));
}

export function describeAppealStep(step: AppealStepView, t: Messages): string {
  switch (step.step) {
    case 'FILED':
      return t.appealFiledWords(t.stages[step.appealedStage] ?? step.appealedStage, { document: step.withDocument === true, identityCorrected: step.identityCorrected === true });
    case 'DECIDED': {
      const who = step.actor ?? t.aReviewer;
      return step.outcome === 'OVERTURNED' ? t.appealOverturnedWords(who, step.rulesBasis ? t.rulesBasisWords[step.rulesBasis] : null, step.reason) : t.appealUpheldWords(who, step.reason);
    }
    case 'RESULT':
      return step.result ? t.appealResultWords[step.result] : t.none;
  }
}
