// The rule-set re-evaluation's contract: its workflow id and input. The API imports this file
// without importing workflow code.

export const RULE_SET_REEVALUATION_WORKFLOW = 'ruleSetReevaluation';
export const ruleSetReevaluationWorkflowId = (reevaluationId: string) => `rule-set-reevaluation-${reevaluationId}`;

export interface RuleSetReevaluationInput {
  reevaluationId: string;
  ruleSetId: string;
  requestedBy: string;
  /** Where a continued run picks up: the last participant id already signalled, and the counts so far. */
  progress?: { afterParticipantId: string; participantsSignalled: number; journeysNotRunning: number };
}

export interface RuleSetReevaluationResult {
  participantsSignalled: number;
  journeysNotRunning: number;
}
