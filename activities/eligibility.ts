// The eligibility decision: the rule-set version in force at the evaluation time, evaluated by
// json-rules-engine with a full explanation, recorded for auditors. The workflow only ever
// sees the returned summary, so a later edit of the rules cannot change a recorded decision.
import { ApplicationFailure } from '@temporalio/activity';
import defaultRuleSet from '../rules/default-rule-set.json';
import { evaluateRuleSet } from '../rules/evaluate';
import { validateRuleSet } from '../rules/validate';
import { isUniqueViolation, type PrismaClient } from '../lib/database';
import { programDateAt } from '../lib/program-day';
import { findRuleSetInForce } from '../lib/rule-set-in-force';
import { eligibilityFactsUpsert } from './eligibility-facts';
import { ENVELOPE_CONTEXT, type PersonalDataCipher, type SealedExplanation } from '../lib/personal-data';
import type { EligibilitySummary, EmploymentStatus, RegistrationChannel } from '../workflows/participant-journey.definitions';

export const DEFAULT_RULE_SET_NAME = 'prakerja-2020';

/** Publishes the 2020 rule set when no version was ever published (first start), as the next version of its name. */
export async function ensureDefaultRuleSet(prisma: PrismaClient): Promise<void> {
  // Drafts do not count: a version must be in force, whatever was written before the first worker started.
  if ((await prisma.ruleSet.count({ where: { status: { in: ['PUBLISHED', 'RETIRED'] } } })) > 0) return;
  const latest = await prisma.ruleSet.findFirst({ where: { name: DEFAULT_RULE_SET_NAME }, orderBy: { version: 'desc' }, select: { version: true } });
  try {
    await prisma.ruleSet.create({
      data: {
        name: DEFAULT_RULE_SET_NAME,
        version: (latest?.version ?? 0) + 1,
        status: 'PUBLISHED',
        description: defaultRuleSet.description,
        rules: defaultRuleSet.rules,
        testCases: defaultRuleSet.testCases ?? [],
        effectiveFrom: new Date('2020-04-01T00:00:00+07:00'),
        publishedAt: new Date(),
        createdBy: 'system',
        audit: { create: [{ action: 'CREATED', actor: 'system' }, { action: 'PUBLISHED', actor: 'system' }] },
      },
    });
  } catch (error) {
    // Workers start together: another one seeded version 1 between the count and the create.
    if (!isUniqueViolation(error)) throw error;
  }
}

export interface EligibilityRequest {
  participantId: string;
  evaluatedAt: string;
  trigger: 'INITIAL' | 'REEVALUATION' | 'APPEAL';
  /** A re-evaluation names the published version it was requested for; otherwise the version in force decides. */
  ruleSetId?: string;
  /**
   * An overturned appeal decides again under the version in force at this instant (the appealed
   * decision's, or now) rather than at evaluatedAt; the facts are today's either way.
   */
  rulesInForceAt?: string;
  checks: {
    /** Identity is verified before the rules run: a journey asks for a decision only after a MATCH. */
    identityStatus: 'MATCH';
    isStudent: boolean;
    socialAidPrograms: string[];
    onLaidOffList: boolean;
    /**
     * Past participations in the participation registry. Absent from a request a journey scheduled
     * before it asked the registry; such a request is decided on 0, as it was then (one registration
     * per NIK, so Jalur's own records never held a second participation).
     */
    previousParticipations?: number;
  };
  profile: { employmentStatus: EmploymentStatus; microBusinessLostIncome: boolean; province: string; channel: RegistrationChannel };
}

export function createEligibilityActivities({ prisma, personalData }: { prisma: PrismaClient; personalData: PersonalDataCipher }) {
  async function ruleSetInForce(at: Date) {
    const ruleSet = await findRuleSetInForce(prisma, at);
    if (!ruleSet) throw ApplicationFailure.nonRetryable('No published rule set is in force', 'NO_RULE_SET_IN_FORCE');
    return ruleSet;
  }

  /** A retired version is not re-applied: whoever asked for it asked while it was the one in force. */
  async function publishedRuleSet(ruleSetId: string) {
    const ruleSet = await prisma.ruleSet.findUnique({ where: { id: ruleSetId } });
    if (ruleSet?.status !== 'PUBLISHED') throw ApplicationFailure.nonRetryable(`Rule set ${ruleSetId} is not published`, 'RULE_SET_NOT_PUBLISHED');
    return ruleSet;
  }

  return {
    async decideEligibility(request: EligibilityRequest): Promise<EligibilitySummary> {
      const evaluatedAt = new Date(request.evaluatedAt);
      const ruleSet = request.ruleSetId ? await publishedRuleSet(request.ruleSetId) : await ruleSetInForce(new Date(request.rulesInForceAt ?? request.evaluatedAt));
      // A version published before a fact it names was retired keeps deciding as it did.
      const validation = validateRuleSet({ name: ruleSet.name, description: ruleSet.description, rules: ruleSet.rules }, { allowRetiredFacts: true });
      if (!validation.ok) throw ApplicationFailure.nonRetryable(`Rule set ${ruleSet.id} in force is invalid`, 'INVALID_RULE_SET');

      const participant = await prisma.participant.findUniqueOrThrow({ where: { id: request.participantId } });
      const person = personalData.openPersonalData(request.participantId, participant.personalData);
      const evaluationDate = programDateAt(evaluatedAt);
      const input = { ...request.checks, previousParticipations: request.checks.previousParticipations ?? 0, ...request.profile, dateOfBirth: person.dateOfBirth, evaluationDate };
      const decision = await evaluateRuleSet(validation.ruleSet, input);

      const summary: EligibilitySummary = {
        outcome: decision.outcome,
        reasons: decision.reasons.map(({ rule: _rule, ...reason }) => reason),
        priorityPoints: decision.priority,
        ruleSetId: ruleSet.id,
        ruleSetVersion: ruleSet.version,
        evaluatedAt: request.evaluatedAt,
      };
      await prisma.$transaction([
        prisma.eligibilityDecision.upsert({
          where: { participantId_ruleSetId_trigger_evaluatedAt: { participantId: request.participantId, ruleSetId: ruleSet.id, trigger: request.trigger, evaluatedAt } },
          create: {
            participantId: request.participantId,
            ruleSetId: ruleSet.id,
            ruleSetVersion: ruleSet.version,
            outcome: decision.outcome,
            priorityPoints: decision.priority,
            reasons: summary.reasons as object[],
            // Its facts include the date of birth: sealed like the rest of the personal data.
            explanation: { sealed: personalData.encrypt(decision.explanation, ENVELOPE_CONTEXT.decisionExplanation(request.participantId)) } satisfies SealedExplanation,
            explanationKeyId: personalData.activeKeyId,
            trigger: request.trigger,
            evaluatedAt,
          },
          update: {},
        }),
        prisma.participant.update({
          where: { id: request.participantId },
          data: {
            eligibilityOutcome: decision.outcome,
            eligibilityReasons: summary.reasons as object[],
            ruleSetId: ruleSet.id,
            ruleSetVersion: ruleSet.version,
            priorityPoints: decision.priority,
            // A re-evaluation that confirms eligibility keeps the date the participant first became
            // eligible; an appeal found eligible makes them eligible from now.
            ...(decision.outcome === 'INELIGIBLE' ? { eligibleAt: null } : request.trigger !== 'REEVALUATION' ? { eligibleAt: evaluatedAt } : {}),
          },
        }),
        // The population that rule-set simulations run over: the facts of the latest decision.
        prisma.eligibilityFacts.upsert(eligibilityFactsUpsert(request.participantId, input, { ruleSetId: ruleSet.id, ruleSetVersion: ruleSet.version, outcome: decision.outcome, priorityPoints: decision.priority, evaluatedAt })),
      ]);
      return summary;
    },
  };
}
