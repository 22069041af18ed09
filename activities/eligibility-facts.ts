// The EligibilityFacts row a decision writes: the facts it used, in the typed columns that
// rule-set simulations read back (api/rule-sets/rule-set-simulation.ts).
import type { EligibilityInput } from '../rules/facts';

type DecidedInput = Omit<EligibilityInput, 'evaluationDate'> & Required<Pick<EligibilityInput, 'microBusinessLostIncome' | 'identityStatus'>>;
type RecordedDecision = { ruleSetId: string; ruleSetVersion: number; outcome: string; priorityPoints: number; evaluatedAt: Date };

/** Arguments of `prisma.eligibilityFacts.upsert`: the latest decision's facts replace the previous ones. */
export function eligibilityFactsUpsert(participantId: string, input: DecidedInput, decision: RecordedDecision) {
  const facts = {
    // A DATE column: midnight UTC of the calendar date, so no time zone can move it by a day.
    dateOfBirth: new Date(`${input.dateOfBirth}T00:00:00Z`),
    isStudent: input.isStudent,
    socialAidPrograms: input.socialAidPrograms,
    onLaidOffList: input.onLaidOffList,
    employmentStatus: input.employmentStatus,
    microBusinessLostIncome: input.microBusinessLostIncome,
    province: input.province,
    previousParticipations: input.previousParticipations,
    identityStatus: input.identityStatus,
    channel: input.channel,
    recordedAt: decision.evaluatedAt,
    ruleSetId: decision.ruleSetId,
    ruleSetVersion: decision.ruleSetVersion,
    outcome: decision.outcome,
    priorityPoints: decision.priorityPoints,
  };
  return { where: { participantId }, create: { participantId, ...facts }, update: facts };
}
