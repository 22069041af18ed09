// Rule-set requests and answers. The rule set itself (name, description, rules) is validated by
// rules/validate.ts, not here: it reports every problem by its path in the rule set. These schemas
// cover the rest of each request, the answers, and the OpenAPI description.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { eligibilityInputSchema } from '../../rules';
import { calendarDateSchema } from '../../rules/facts';
import { errorResponses, jsonContent } from '../openapi-shared';

export const RULE_SET_STATUSES = ['DRAFT', 'PUBLISHED', 'RETIRED'] as const;
export const AUDIT_ACTIONS = ['CREATED', 'UPDATED', 'PUBLISHED', 'RETIRED', 'REEVALUATION_REQUESTED'] as const;
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
      params: z.record(z.string(), z.unknown()).meta({ description: '{ code, message } for ineligible; { points, code, message } for priority' }),
    }),
    priority: z.int().optional().meta({ description: 'json-rules-engine evaluation order only; never changes a decision' }),
  })
  .meta({ id: 'Rule', description: 'A json-rules-engine rule; see rules/README.md for the facts, operators and the event contract' });

export const storedRulesSchema = z.array(jsonRuleDescription);

export const ruleSetWriteRequestSchema = z
  .object({
    name: z.string().meta({ example: 'prakerja-2020' }),
    description: z.string(),
    rules: z.array(jsonRuleDescription),
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
    revision: z.int().meta({ description: 'Changes with every write; also the ETag' }),
    createdBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    publishedAt: timestamp.nullable(),
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
    summary: 'Publish a draft: it decides from effectiveFrom on and never changes again (program-manager)',
    security,
    request: { params: idParams, headers: z.object({ 'if-match': z.string().optional() }), body: jsonContent(publishRequestSchema) },
    responses: { 200: ruleSetAnswer('The published version'), ...errorResponses(400, 401, 403, 404, 409) },
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
