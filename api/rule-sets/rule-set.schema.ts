// Rule-set requests and answers. The rule set itself (name, description, rules) is validated by
// rules/validate.ts, not here: it reports every problem by its path in the rule set. These schemas
// cover the rest of each request, the answers, and the OpenAPI description.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { eligibilityInputSchema } from '../../rules';
import { calendarDateSchema } from '../../rules/facts';
import { errorResponses, jsonContent } from '../openapi-shared';

export const RULE_SET_STATUSES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'RETIRED'] as const;
export const AUDIT_ACTIONS = ['CREATED', 'UPDATED', 'SUBMITTED', 'SENT_BACK', 'APPROVED', 'PUBLISHED', 'RETIRED', 'REEVALUATION_REQUESTED'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Names appear in audit trails and decisions: keep them to a plain slug. */
export const RULE_SET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const timestamp = z.iso.datetime();

// For the document only: the structure is checked by the rules library, which knows the fact catalog.
const jsonRuleDescription = z
  .object({
    name: z.string(),
    conditions: z.record(z.string(), z.unknown()).meta({ description: 'json-rules-engine condition tree: the root is all, any or not; leaves are { fact, operator, value }' }),
    event: z.object({
      type: z.enum(['ineligible', 'priority']),
      params: z.record(z.string(), z.unknown()).meta({ description: '{ code, message, reference?, messages?: { id, en } } for ineligible; { points, code, message, reference?, messages? } for priority; reference and messages are required to submit or publish' }),
    }),
    priority: z.int().optional().meta({ description: 'json-rules-engine evaluation order only; never changes a decision' }),
  })
  .meta({ id: 'Rule', description: 'A json-rules-engine rule; see rules/README.md for the facts, operators and the event contract' });

export const storedRulesSchema = z.array(jsonRuleDescription);

// For the document only, like the rules: rules/test-cases.ts checks cases against the fact catalog and the rules.
const testCaseDescription = z
  .object({
    name: z.string(),
    facts: z.record(z.string(), z.unknown()).meta({ description: 'An applicant, as POST /v1/rule-sets/{id}/evaluate takes it (evaluationDate included)' }),
    expect: z.object({
      outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']),
      reasons: z.array(z.string()).optional().meta({ description: 'When given: exactly these ineligible reason codes, in any order' }),
      priorityReasons: z.array(z.string()).optional().meta({ description: 'When given: exactly these priority codes, in any order' }),
      priority: z.int().optional().meta({ description: 'When given: the priority points' }),
    }),
  })
  .meta({ id: 'RuleSetTestCase' });

export const storedTestCasesSchema = z.array(testCaseDescription);

const decisionCodesSchema = z.object({ outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']), reasons: z.array(z.string()), priorityReasons: z.array(z.string()), priority: z.int() });

export const testResultsSchema = z
  .object({
    passed: z.int(),
    failed: z.int(),
    cases: z.array(
      z.object({
        name: z.string(),
        passed: z.boolean(),
        differences: z.array(z.object({ field: z.enum(['outcome', 'reasons', 'priorityReasons', 'priority']), expected: z.unknown(), actual: z.unknown() })),
        actual: decisionCodesSchema,
      }),
    ),
  })
  .meta({ id: 'RuleSetTestResults', description: 'Every test case run against this version; publishing needs failed = 0' });
export type TestResultsView = z.output<typeof testResultsSchema>;

export const ruleSetWriteRequestSchema = z
  .object({
    name: z.string().meta({ example: 'prakerja-2020' }),
    description: z.string(),
    rules: z.array(jsonRuleDescription),
    testCases: z
      .array(testCaseDescription)
      .optional()
      .meta({ description: 'Left out: a new draft takes its previous version\'s cases, an updated draft keeps its own' }),
  })
  .meta({ id: 'RuleSetWriteRequest' });

/** What a PUT may add to the rule set: the revision it read, as an alternative to If-Match. */
export const ruleSetUpdateExtrasSchema = z.object({ revision: z.int().positive().optional() });

export const ruleSetUpdateRequestSchema = ruleSetWriteRequestSchema
  .extend({ revision: z.int().positive().optional().meta({ description: 'The revision read (alternative to the If-Match header)' }) })
  .meta({ id: 'RuleSetUpdateRequest' });

export const publishRequestSchema = z
  .object({
    effectiveFrom: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'When the version starts deciding; now when left out; at most a minute in the past', example: '2020-05-01T00:00:00+07:00' }),
  })
  .meta({ id: 'PublishRuleSetRequest' });
export type PublishRequest = z.output<typeof publishRequestSchema>;

const reviewComment = z.string().trim().min(1, 'is required').max(2_000, 'must be at most 2,000 characters');

export const submissionRequestSchema = z
  .object({
    comment: reviewComment.meta({ description: 'What changes and why, for the reviewer', example: 'Minimum age 21 from May (ministerial letter 12/2020)' }),
    effectiveFrom: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'When the version should start deciding once approved; at its approval when left out', example: '2020-05-01T00:00:00+07:00' }),
  })
  .meta({ id: 'RuleSetSubmission' });
export type SubmissionRequest = z.output<typeof submissionRequestSchema>;

export const approvalRequestSchema = z.object({ comment: reviewComment.optional() }).meta({ id: 'RuleSetApproval' });
export type ApprovalRequest = z.output<typeof approvalRequestSchema>;

export const sendBackRequestSchema = z.object({ comment: reviewComment.meta({ description: 'What the author should change' }) }).meta({ id: 'RuleSetSendBack' });
export type ReviewComment = z.output<typeof sendBackRequestSchema>;

export const reevaluationRequestSchema = z
  .object({ reason: z.string().trim().min(1, 'is required').max(500, 'must be at most 500 characters') })
  .meta({ id: 'ReevaluationRequest' });

export const simulationRequestSchema = z
  .object({
    evaluationDate: calendarDateSchema.optional().meta({ description: 'YYYY-MM-DD; today in WIB when left out' }),
    exampleLimit: z.int().min(0).max(100).optional(),
  })
  .meta({ id: 'SimulationRequest' });
export type SimulationRequest = z.output<typeof simulationRequestSchema>;

export const evaluationRequestSchema = eligibilityInputSchema.meta({ id: 'EligibilityInput' });

export const listQuerySchema = z.object({ name: z.string().optional(), status: z.enum(RULE_SET_STATUSES).optional() });
export type RuleSetListQuery = z.output<typeof listQuerySchema>;

export const diffQuerySchema = z.object({
  against: z.string().optional().meta({ description: 'The rule set to compare with; the version in force now when left out' }),
});

export const ruleSetViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    version: z.int(),
    status: z.enum(RULE_SET_STATUSES),
    effectiveFrom: timestamp.nullable(),
    retiredAt: timestamp.nullable(),
    inForce: z.boolean().meta({ description: 'This version decides now' }),
    description: z.string(),
    rules: z.array(jsonRuleDescription),
    testCases: storedTestCasesSchema,
    testResults: testResultsSchema.nullable().meta({ description: 'null in lists: read the version for its results' }),
    revision: z.int().meta({ description: 'Changes with every write; also the ETag' }),
    createdBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    publishedAt: timestamp.nullable(),
    review: z
      .object({
        submittedBy: z.string().nullable(),
        submittedAt: timestamp.nullable(),
        comment: z.string().nullable().meta({ description: "The author's comment on submitting" }),
        requestedEffectiveFrom: timestamp.nullable().meta({ description: 'When the author asked it to take effect; null: at its approval' }),
        approvedBy: z.string().nullable(),
        approvedAt: timestamp.nullable(),
        approvalComment: z.string().nullable(),
      })
      .meta({ description: 'The current submission (null fields on a draft); every review step with its comment is in the audit trail' }),
  })
  .meta({ id: 'RuleSet' });
export type RuleSetView = z.output<typeof ruleSetViewSchema>;

const reasonViewSchema = z.object({ code: z.string(), message: z.string(), rule: z.string() });

export const evaluationViewSchema = z
  .object({
    ruleSetId: z.uuid(),
    ruleSetVersion: z.int(),
    outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']),
    priority: z.int(),
    reasons: z.array(reasonViewSchema),
    priorityReasons: z.array(reasonViewSchema.extend({ points: z.int() })),
    explanation: z.record(z.string(), z.unknown()).meta({ description: 'The evaluation date, every fact value, and each rule\'s condition tree with every leaf\'s value and result' }),
  })
  .meta({ id: 'RuleSetEvaluation' });

const ruleSetReference = z.object({ id: z.uuid(), name: z.string(), version: z.int() });

export const diffViewSchema = z
  .object({
    from: ruleSetReference,
    to: ruleSetReference,
    changed: z.boolean(),
    metadata: z.array(z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
    rules: z.object({
      added: z.array(jsonRuleDescription),
      removed: z.array(jsonRuleDescription),
      changed: z.array(z.object({ rule: z.string(), previousName: z.string().optional(), fields: z.array(z.string()), from: jsonRuleDescription, to: jsonRuleDescription })),
    }),
  })
  .meta({ id: 'RuleSetDiff', description: 'What changes going from `from` (the `against` rule set) to `to` (this one); rules match by name, then by event code' });

export const auditViewSchema = z
  .object({
    entries: z.array(
      z.object({
        id: z.uuid(),
        action: z.enum(AUDIT_ACTIONS),
        actor: z.string(),
        at: timestamp,
        diff: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
  })
  .meta({ id: 'RuleSetAudit' });

export const reevaluationViewSchema = z
  .object({
    reevaluationId: z.uuid(),
    ruleSetId: z.uuid(),
    reason: z.string(),
    requestedBy: z.string(),
    requestedAt: timestamp,
    status: z.enum(['RUNNING', 'COMPLETED', 'NOT_STARTED']),
    done: z.boolean(),
    participantsSignalled: z.int().meta({ description: 'Journeys asked to re-check so far' }),
    journeysNotRunning: z.int().meta({ description: 'Participants whose journey had ended meanwhile' }),
    completedAt: timestamp.nullable(),
  })
  .meta({ id: 'Reevaluation' });
export type ReevaluationView = z.output<typeof reevaluationViewSchema>;

export function describeRuleSetRoutes(registry: OpenAPIRegistry): void {
  const idParams = z.object({ id: z.uuid() });
  const security = [{ apiKey: [] }];
  const ruleSetAnswer = (description: string) => ({ description, headers: { ETag: { description: 'The revision, quoted', schema: { type: 'string' as const } } }, ...jsonContent(ruleSetViewSchema) });
  registry.registerPath({
    method: 'get',
    path: '/v1/rule-sets',
    summary: 'List rule sets, newest version first (program-manager, operator)',
    security,
    request: { query: listQuerySchema },
    responses: { 200: { description: 'The rule sets', ...jsonContent(z.object({ ruleSets: z.array(ruleSetViewSchema) })) }, ...errorResponses(400, 401, 403) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets',
    summary: 'Create a draft; its version is the next number for its name (program-manager)',
    security,
    request: { body: jsonContent(ruleSetWriteRequestSchema) },
    responses: { 201: ruleSetAnswer('The draft'), ...errorResponses(400, 401, 403) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/rule-sets/{id}',
    summary: 'Read a rule set (program-manager, operator)',
    security,
    request: { params: idParams },
    responses: { 200: ruleSetAnswer('The rule set'), ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/rule-sets/{id}',
    summary: 'Replace a draft\'s description and rules, naming the revision read (If-Match or revision); 409 when someone wrote first (program-manager)',
    security,
    request: { params: idParams, headers: z.object({ 'if-match': z.string().optional().meta({ example: '"3"' }) }), body: jsonContent(ruleSetUpdateRequestSchema) },
    responses: { 200: ruleSetAnswer('The draft after the change'), ...errorResponses(400, 401, 403, 404, 409, 428) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets/{id}/publish',
    summary: 'Publish a draft at once, where the program does not require review (RULE_SET_FOUR_EYES=false); otherwise 409 REVIEW_REQUIRED (program-manager)',
    security,
    request: { params: idParams, headers: z.object({ 'if-match': z.string().optional() }), body: jsonContent(publishRequestSchema) },
    responses: { 200: ruleSetAnswer('The published version'), ...errorResponses(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets/{id}/submit',
    summary: 'Submit a draft for review, naming the revision read (If-Match): frozen, with a comment and the date it should take effect (program-manager)',
    security,
    request: { params: idParams, headers: z.object({ 'if-match': z.string().optional() }), body: jsonContent(submissionRequestSchema) },
    responses: { 200: ruleSetAnswer('The version, IN_REVIEW'), ...errorResponses(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets/{id}/approve',
    summary: 'Approve a version in review, which publishes it; never by one of its authors (403 SELF_APPROVAL) (program-manager)',
    security,
    request: { params: idParams, body: jsonContent(approvalRequestSchema) },
    responses: { 200: ruleSetAnswer('The published version'), ...errorResponses(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets/{id}/send-back',
    summary: 'Return a version in review to DRAFT with a comment (program-manager)',
    security,
    request: { params: idParams, body: jsonContent(sendBackRequestSchema) },
    responses: { 200: ruleSetAnswer('The version, DRAFT again'), ...errorResponses(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets/{id}/retire',
    summary: 'Retire a published version: from now on it no longer decides (program-manager)',
    security,
    request: { params: idParams },
    responses: { 200: ruleSetAnswer('The retired version'), ...errorResponses(401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/rule-sets/{id}/diff',
    summary: 'What this rule set changes compared with another (program-manager, operator)',
    security,
    request: { params: idParams, query: diffQuerySchema },
    responses: { 200: { description: 'The differences', ...jsonContent(diffViewSchema) }, ...errorResponses(401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets/{id}/evaluate',
    summary: 'Dry run: decide for the given facts, with the explanation; drafts too (program-manager, operator)',
    security,
    request: { params: idParams, body: jsonContent(evaluationRequestSchema) },
    responses: { 200: { description: 'The decision', ...jsonContent(evaluationViewSchema) }, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets/{id}/simulate',
    summary: 'Impact of this rule set over the stored population (program-manager)',
    security,
    request: { params: idParams, body: jsonContent(simulationRequestSchema) },
    responses: {
      200: { description: 'The simulation report', ...jsonContent(z.record(z.string(), z.unknown()).meta({ id: 'SimulationReport' })) },
      ...errorResponses(400, 401, 403, 404, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/rule-sets/{id}/audit',
    summary: 'Who created, changed, published, retired or re-evaluated this rule set, when, with the diff (program-manager, operator)',
    security,
    request: { params: idParams },
    responses: { 200: { description: 'Oldest first', ...jsonContent(auditViewSchema) }, ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/rule-sets/{id}/reevaluations',
    summary: 'Re-check every participant in the program against this version, which must be the one in force (program-manager)',
    security,
    request: { params: idParams, body: jsonContent(reevaluationRequestSchema) },
    responses: { 202: { description: 'Started; follow it at the reevaluation\'s URL', ...jsonContent(reevaluationViewSchema) }, ...errorResponses(400, 401, 403, 404, 409, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/rule-sets/{id}/reevaluations/{reevaluationId}',
    summary: 'Progress of a re-evaluation (program-manager, operator)',
    security,
    request: { params: z.object({ id: z.uuid(), reevaluationId: z.uuid() }) },
    responses: { 200: { description: 'The progress', ...jsonContent(reevaluationViewSchema) }, ...errorResponses(401, 403, 404) },
  });
}
