// A reviewer's decision as the form holds it, checked before it is sent the way the API checks
// it (api/appeals/appeal.schema.ts), so the reviewer hears of a missing reason or rules basis at
// once; and whether the signed-in reviewer took part in the decision appealed.
import type { AppealDecisionRequest, AppealDetail } from '../../../api/appeals/appeal.schema';

export type AppealOutcome = AppealDecisionRequest['outcome'];
export type AppealRulesBasis = NonNullable<AppealDecisionRequest['rulesBasis']>;

export const APPEAL_RULES_BASES = Object.keys({ ORIGINAL_DECISION_DATE: 1, TODAY: 1 } satisfies Record<AppealRulesBasis, 1>) as AppealRulesBasis[];
export const MIN_DECISION_REASON = 5;
export const MAX_DECISION_REASON = 2000;

export interface AppealDecisionForm {
  outcome: AppealOutcome | '';
  reason: string;
  rulesBasis: AppealRulesBasis | '';
}

export const EMPTY_DECISION_FORM: AppealDecisionForm = { outcome: '', reason: '', rulesBasis: '' };

export type DecisionProblem = 'required' | 'tooShort' | 'tooLong';
export type DecisionProblems = Partial<Record<keyof AppealDecisionForm, DecisionProblem>>;

export type CheckedDecision = { request: AppealDecisionRequest; problems?: undefined } | { request?: undefined; problems: DecisionProblems };

export function checkAppealDecision(form: AppealDecisionForm): CheckedDecision {
  const problems: DecisionProblems = {};
  const reason = form.reason.trim();
  if (form.outcome === '') problems.outcome = 'required';
  if (reason === '') problems.reason = 'required';
  else if (reason.length < MIN_DECISION_REASON) problems.reason = 'tooShort';
  else if (reason.length > MAX_DECISION_REASON) problems.reason = 'tooLong';
  if (form.outcome === 'OVERTURNED' && form.rulesBasis === '') problems.rulesBasis = 'required';
  if (form.outcome === '' || Object.keys(problems).length > 0) return { problems };
  // The rules basis belongs to an overturn only: one chosen before switching to uphold is not sent.
  const request: AppealDecisionRequest =
    form.outcome === 'OVERTURNED' && form.rulesBasis !== '' ? { outcome: form.outcome, reason, rulesBasis: form.rulesBasis } : { outcome: form.outcome, reason };
  return { request };
}

/** The same person, as the API compares names: regardless of case and surrounding spaces. */
export function sameName(one: string, other: string): boolean {
  return one.trim().toLowerCase() === other.trim().toLowerCase();
}

/** The signed-in reviewer is among those who took part in the appealed decision: the API will refuse them (OWN_DECISION). */
export function tookPartInDecision(appeal: Pick<AppealDetail, 'decisionActors'>, name: string | undefined): boolean {
  return name !== undefined && appeal.decisionActors.some((actor) => sameName(actor, name));
}

/** The name a downloaded document is saved under: the appeal's id and the type's usual extension. */
export function documentFileName(appealId: string, contentType: string): string {
  const extension = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' }[contentType];
  return extension ? `appeal-${appealId}.${extension}` : `appeal-${appealId}`;
}
