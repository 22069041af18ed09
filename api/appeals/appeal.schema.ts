// Appeals: the participant's filing, the reviewers' queue, one appeal as a reviewer reads it (the
// statement and the appealed decision opened, every read logged), and the reviewer's decision.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { APPEAL_RESULTS, APPEAL_RULES_BASES, APPEALABLE_STAGES, STAGES } from '../../workflows/participant-journey.definitions';
import { errorResponses, jsonContent } from '../openapi-shared';
import { identityCorrectionRequestSchema } from '../participants/participant.schema';

const timestamp = z.iso.datetime();
const APPEAL_STATUSES = ['OPEN', 'UPHELD', 'OVERTURNED'] as const;

/** Standard base64 (padding optional), no line breaks: what JSON clients send for bytes. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const appealFilingRequestSchema = z
  .object({
    statement: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .min(10, 'must be at least 10 characters')
      .max(4000, 'must be at most 4000 characters')
      .meta({ description: 'Why the participant disagrees, in their own words (sealed at rest)' }),
    correctedIdentity: identityCorrectionRequestSchema
      .optional()
      .meta({ description: 'The name and date of birth Dukcapil should find, when the appeal rests on a registry correction (sealed like PUT /identity)' }),
    document: z
      .object({
        contentBase64: z.string().min(1, 'is required').regex(BASE64, 'must be base64').meta({ description: 'A PDF, JPEG or PNG file of at most 2 MiB, base64' }),
        fileName: z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters').optional(),
      })
      .optional(),
  })
  .meta({ id: 'AppealFilingRequest' });
export type AppealFilingRequest = z.output<typeof appealFilingRequestSchema>;

export const appealFiledSchema = z
  .object({
    appealId: z.uuid(),
    status: z.literal('OPEN'),
    filedAt: timestamp,
    stage: z.enum(STAGES).meta({ description: 'The way out appealed' }),
  })
  .meta({ id: 'AppealFiled' });
export type AppealFiled = z.output<typeof appealFiledSchema>;

export const appealQueueQuerySchema = z.object({
  status: z.enum(APPEAL_STATUSES).optional().meta({ description: 'Only appeals in this status; every status when left out' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AppealQueueQuery = z.output<typeof appealQueueQuerySchema>;

export const appealQueueEntrySchema = z
  .object({
    appealId: z.uuid(),
    participantId: z.uuid(),
    appealedStage: z.enum(APPEALABLE_STAGES),
    status: z.enum(APPEAL_STATUSES),
    filedAt: timestamp,
    ageHours: z.int().meta({ description: 'Whole hours from the filing to the decision, or to now while open' }),
    windowEndsAt: timestamp.meta({ description: 'The end of the appeal window it was filed in' }),
    decidedAt: timestamp.nullable(),
    decidedBy: z.string().nullable(),
    result: z.enum(APPEAL_RESULTS).nullable(),
  })
  .meta({ id: 'AppealQueueEntry' });

export const appealQueueSchema = z
  .object({
    appeals: z.array(appealQueueEntrySchema).meta({ description: 'Oldest filing first' }),
    openByAge: z
      .object({ underOneDay: z.int(), oneToSevenDays: z.int(), sevenToFourteenDays: z.int(), overFourteenDays: z.int() })
      .meta({ description: 'Every open appeal by its age (the program\'s service level), whatever the filter' }),
  })
  .meta({ id: 'AppealQueue' });
export type AppealQueue = z.output<typeof appealQueueSchema>;

const reasonSchema = z.object({
  code: z.string(),
  message: z.string(),
  reference: z.string().optional(),
  messages: z.object({ id: z.string(), en: z.string() }).optional(),
});

export const appealDetailSchema = z
  .object({
    appealId: z.uuid(),
    participantId: z.uuid(),
    participantStage: z.enum(STAGES).meta({ description: 'Where the participant stands now' }),
    appealedStage: z.enum(APPEALABLE_STAGES),
    status: z.enum(APPEAL_STATUSES),
    filedAt: timestamp,
    windowEndsAt: timestamp,
    statement: z.string().nullable().meta({ description: 'In clear; this read is in the personal-data access log. Null once erased by the retention job' }),
    identityCorrected: z.boolean().meta({ description: 'A corrected name and date of birth came with the appeal (not shown: Dukcapil is asked with them when the appeal is overturned)' }),
    document: z.object({ contentType: z.string(), url: z.string().meta({ example: '/v1/appeals/{id}/document' }) }).nullable(),
    appealedDecision: z
      .object({
        reason: z.string(),
        exitedAt: timestamp,
        by: z.string().nullable().meta({ description: 'Who requested the exit, when a person did' }),
        eligibility: z
          .object({ ruleSetId: z.uuid(), ruleSetVersion: z.int(), evaluatedAt: timestamp, outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']), reasons: z.array(reasonSchema) })
          .nullable(),
      })
      .meta({ description: 'The decision appealed, as recorded when the appeal was filed' }),
    eligibilityDecision: z
      .object({
        ruleSetId: z.uuid(),
        ruleSetVersion: z.int(),
        trigger: z.string().meta({ description: 'INITIAL, REEVALUATION or APPEAL' }),
        evaluatedAt: timestamp,
        outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']),
        reasons: z.array(reasonSchema),
        explanation: z
          .looseObject({
            evaluationDate: z.string(),
            facts: z.record(z.string(), z.unknown()),
            rules: z.array(z.looseObject({ name: z.string(), fired: z.boolean(), event: z.unknown(), conditions: z.unknown() })),
          })
          .meta({ description: 'Every rule and every condition with the fact value it saw (the date of birth included) and its result' }),
        registryAnswers: z
          .object({
            isStudent: z.unknown().meta({ description: 'Dapodik' }),
            socialAidPrograms: z.unknown().meta({ description: 'DTKS' }),
            onLaidOffList: z.unknown().meta({ description: 'Kemnaker' }),
            previousParticipations: z.unknown().meta({ description: 'The participation registry' }),
            identityStatus: z.unknown().meta({ description: 'Dukcapil' }),
          })
          .meta({ description: 'What the outside systems answered, among the facts' }),
      })
      .nullable()
      .meta({ description: 'The eligibility decision appealed, opened; null for an identity rejection (no eligibility decision)' }),
    decisionActors: z.array(z.string()).meta({ description: 'Who took part in the appealed decision: none of them may decide the appeal' }),
    decidedBy: z.string().nullable(),
    decidedAt: timestamp.nullable(),
    decisionReason: z.string().nullable(),
    rulesBasis: z.enum(APPEAL_RULES_BASES).nullable(),
    result: z.enum(APPEAL_RESULTS).nullable(),
    resultAt: timestamp.nullable(),
    accessLogEntryId: z.uuid().meta({ description: 'The personal-data access log entry this read was recorded as' }),
  })
  .meta({ id: 'Appeal' });
export type AppealDetail = z.output<typeof appealDetailSchema>;

export const appealDecisionRequestSchema = z
  .object({
    outcome: z.enum(['UPHELD', 'OVERTURNED']),
    reason: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .min(5, 'must be at least 5 characters')
      .max(2000, 'must be at most 2000 characters')
      .meta({ description: 'Why, as the participant will read it' }),
    rulesBasis: z
      .enum(APPEAL_RULES_BASES)
      .optional()
      .meta({ description: 'OVERTURNED only (required then): decide again under the rules in force at the appealed decision, or today\'s' }),
  })
  .superRefine((decision, ctx) => {
    if (decision.outcome === 'OVERTURNED' && decision.rulesBasis === undefined) ctx.addIssue({ code: 'custom', path: ['rulesBasis'], message: 'is required when the outcome is OVERTURNED' });
    if (decision.outcome === 'UPHELD' && decision.rulesBasis !== undefined) ctx.addIssue({ code: 'custom', path: ['rulesBasis'], message: 'applies only when the outcome is OVERTURNED' });
  })
  .meta({ id: 'AppealDecisionRequest' });
export type AppealDecisionRequest = z.output<typeof appealDecisionRequestSchema>;

export function describeAppealRoutes(registry: OpenAPIRegistry): void {
  const idParams = z.object({ id: z.uuid() });
  registry.registerPath({
    method: 'post',
    path: '/v1/participants/{id}/appeals',
    summary:
      'Appeal the way out (INELIGIBLE, REJECTED, REVOKED) within the appeal window, once per exit (participant with their own token, backend). ' +
      'The document is checked before anything is stored: 413 DOCUMENT_TOO_LARGE over 2 MiB, 415 for anything but PDF, JPEG or PNG. ' +
      'Errors: 409 WRONG_STAGE (not an appealable way out), APPEAL_WINDOW_CLOSED, APPEAL_ALREADY_FILED; nothing is kept of a refused appeal',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(appealFilingRequestSchema) },
    responses: { 201: { description: 'Filed: the reviewers see it', ...jsonContent(appealFiledSchema) }, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/appeals',
    summary: 'The appeals queue, oldest filing first, with every open appeal counted by age (reviewer, auditor)',
    security: [{ apiKey: [] }],
    request: { query: appealQueueQuerySchema },
    responses: { 200: { description: 'The queue', ...jsonContent(appealQueueSchema) }, ...errorResponses(400, 401, 403) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/appeals/{id}',
    summary: 'One appeal with its statement and the appealed decision opened (rules, conditions, facts); each read is written to the personal-data access log as APPEAL_REVIEW (reviewer, auditor)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'The appeal', ...jsonContent(appealDetailSchema) }, ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/appeals/{id}/document',
    summary: 'The appeal\'s document, its bytes with their type; each read is written to the personal-data access log (reviewer, auditor). 404 APPEAL_DOCUMENT_NOT_FOUND when none came',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: {
      200: {
        description: 'The document',
        content: Object.fromEntries(['application/pdf', 'image/jpeg', 'image/png'].map((type) => [type, { schema: z.string().meta({ format: 'binary' }) }])),
      },
      ...errorResponses(401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/appeals/{id}/decision',
    summary:
      'Uphold the way out or overturn it (reviewer). Overturned, the journey decides again under the rules chosen and, eligible, resumes. ' +
      'Errors: 403 OWN_DECISION (the reviewer took part in the appealed decision; checked first), 404 APPEAL_NOT_FOUND, 409 APPEAL_NOT_OPEN',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(appealDecisionRequestSchema) },
    responses: { 200: { description: 'The appeal, decided', ...jsonContent(appealDetailSchema) }, ...errorResponses(400, 401, 403, 404, 409, 503) },
  });
}
