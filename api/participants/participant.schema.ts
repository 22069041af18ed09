// Participant requests, and the participant as the API shows it: the journey's state, and its
// personal data only masked (NIK, name, birth date, contact details, account number).
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PAYOUT_ACCOUNT_TYPES } from '../../lib/payout-account';
import { isoDurationSchema, programCalendarSchema } from '../../lib/program-calendar.schema';
import { MAX_PAYMENT_COUNT } from '../../lib/program-terms';
import { programTermsSchema } from '../../lib/program-terms.schema';
import { LANGUAGES, NOTICE_CHANNELS, NOTICE_KINDS } from '../../notices/notice';
import { PARTICIPANT_TOKEN_MAX_TTL_SECONDS, PARTICIPANT_TOKEN_MIN_TTL_SECONDS } from '../../lib/people-tokens';
import { APPEAL_RESULTS, APPEAL_RULES_BASES, APPEALABLE_STAGES, EXTENDABLE_DEADLINES, PAYOUT_BLOCKED_REASONS, STAGES } from '../../workflows/participant-journey.definitions';
import { errorResponses, jsonContent } from '../openapi-shared';
import { dateOfBirthSchema, fullNameSchema } from '../personal-data.schema';

// A missing reason and an empty one are the same mistake, said the same way.
const reasonSchema = z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).trim().min(1, 'is required').max(500, 'must be at most 500 characters');

export const emailVerificationRequestSchema = z.object({ token: z.string().trim().min(1, 'is required').max(200) });

export const identityCorrectionRequestSchema = z.object({ fullName: fullNameSchema, dateOfBirth: dateOfBirthSchema });

export const waveApplicationRequestSchema = z.object({ waveId: z.uuid('must be a wave id') });

export const payoutAccountRequestSchema = z.object({
  type: z.enum(PAYOUT_ACCOUNT_TYPES),
  provider: z.string().trim().min(2, 'is required').max(64).meta({ example: 'BNI' }),
  // Bank account numbers, or the phone number an e-wallet is registered to.
  accountNumber: z
    .string()
    .transform((value) => value.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\+?\d{5,34}$/, 'must be 5 to 34 digits')),
  accountName: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
});

const surveyAnswerSchema = z.union([z.string().max(2_000), z.number(), z.boolean(), z.array(z.string().max(200)).max(50)]);

export const surveySubmissionRequestSchema = z.object({
  answers: z
    .record(z.string().min(1).max(64), surveyAnswerSchema)
    .refine((answers) => Object.keys(answers).length >= 1, 'must answer at least one question')
    .refine((answers) => Object.keys(answers).length <= 100, 'must have at most 100 answers'),
});

/** The most surveys any wave's terms can have; the journey refuses a survey its own terms do not have. */
export const surveySequenceSchema = z.coerce.number().int().min(1).max(MAX_PAYMENT_COUNT);

export const withdrawalRequestSchema = z.object({ reason: reasonSchema });
/** Every operator action (cancellation, resending the verification mail or a notice, retrying a payout, ...) takes a reason. */
export const operatorActionRequestSchema = z.object({ reason: reasonSchema });

/** The longest single extension in days; the calendar's maxDeadlineExtension bounds them all together. */
const MAX_EXTENSION_DAYS = 365;

export const deadlineExtensionRequestSchema = operatorActionRequestSchema.extend({
  deadline: z.enum(EXTENDABLE_DEADLINES).meta({ description: 'An open deadline of the journey; SURVEY is the open survey\'s window' }),
  // Days are the usual unit at a help desk; a duration also serves compressed test calendars.
  extension: z
    .union([isoDurationSchema, z.int('must be an ISO-8601 duration or a whole number of days').min(1).max(MAX_EXTENSION_DAYS)])
    .transform((extension) => (typeof extension === 'number' ? `P${extension}D` : extension))
    .meta({ description: 'An ISO-8601 duration (P7D, PT12H) or a number of days', example: 'P7D' }),
});

/** The steps a journey can be reset to, by name: api/participants/journey-reset.ts finds each in the history. */
export const RESET_STEPS = ['EMAIL_VERIFICATION', 'IDENTITY', 'ELIGIBILITY', 'WAVE', 'TRAINING', 'PAYMENTS', 'SURVEYS'] as const;
export type ResetStep = (typeof RESET_STEPS)[number];
export const journeyResetRequestSchema = operatorActionRequestSchema.extend({
  step: z.enum(RESET_STEPS, `must be one of ${RESET_STEPS.join(', ')}`).meta({ description: 'The step to run again, from its start, with the code deployed now' }),
});

/** A notice to send again, named by its milestone as GET /v1/participants/:id/notices lists it. */
export const noticeResendRequestSchema = operatorActionRequestSchema.extend({
  milestone: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'is required')
    .max(200, 'must be at most 200 characters')
    .meta({ description: 'A milestone the journey sent a notice for, e.g. ELIGIBLE or PAYMENT:INCENTIVE:2 (not a resend\'s own)', example: 'ELIGIBLE' }),
});

export const OPERATOR_ACTION_KINDS = ['CANCEL', 'RESEND_VERIFICATION_EMAIL', 'RESEND_NOTICE', 'RETRY_PAYOUT', 'EXTEND_DEADLINE', 'RESET_JOURNEY'] as const;

/** What the audit trail keeps of the journey around an action: no personal data. */
export const journeySnapshotSchema = z
  .object({
    stage: z.enum(STAGES),
    payoutBlocked: z.enum(PAYOUT_BLOCKED_REASONS).nullable(),
    runId: z.string().optional().meta({ description: 'A reset: the workflow run before it, and the new run after' }),
    deadline: z
      .object({ name: z.enum(EXTENDABLE_DEADLINES), at: z.iso.datetime().nullable() })
      .optional()
      .meta({ description: 'A deadline extension: the deadline before and after' }),
    notice: z.object({ milestone: z.string() }).optional().meta({ description: 'A notice resent: the milestone sent again' }),
  })
  .meta({ id: 'JourneySnapshot' });
export type JourneySnapshot = z.output<typeof journeySnapshotSchema>;

const timestamp = z.iso.datetime();

export const maskedPersonalDataSchema = z
  .object({
    nik: z.string().meta({ example: '3171********0001' }),
    fullName: z.string().meta({ example: 'S*** R*****' }),
    dateOfBirth: z.string().meta({ example: '1990-**-**' }),
    email: z.string().meta({ example: 's***@example.id' }),
    phone: z.string().meta({ example: '+62812******90' }),
    payoutAccount: z.object({ type: z.enum(PAYOUT_ACCOUNT_TYPES), provider: z.string(), accountNumber: z.string().meta({ example: '******7890' }), accountName: z.string() }).nullable(),
  })
  .meta({ id: 'MaskedPersonalData' });

export const participantSchema = z.object({
  participantId: z.uuid(),
  stage: z.enum(STAGES),
  stageChangedAt: timestamp,
  eligibility: z
    .object({
      outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']),
      reasons: z.array(
        z.object({
          code: z.string(),
          message: z.string(),
          reference: z.string().optional().meta({ description: 'The legal basis of the criterion (regulation and article)' }),
          messages: z.object({ id: z.string(), en: z.string() }).optional().meta({ description: 'What the criterion means for the participant, in Bahasa Indonesia and English' }),
        }),
      ),
      ruleSetId: z.uuid().meta({ description: 'The rule-set version that decided' }),
      ruleSetVersion: z.int(),
      evaluatedAt: timestamp.nullable(),
    })
    .nullable(),
  wave: z.object({ waveId: z.uuid(), number: z.int(), outcome: z.enum(['PENDING', 'SELECTED', 'NOT_SELECTED']) }).nullable(),
  wavesApplied: z.int(),
  identity: z.object({ attempts: z.int(), problem: z.enum(['MISMATCH', 'NOT_FOUND']).nullable() }),
  trainingBalance: z.int().meta({ description: 'Rupiah' }),
  training: z.object({ platformId: z.string(), courseId: z.string(), purchasedAt: timestamp, completedAt: timestamp.nullable() }).nullable(),
  payments: z.array(z.object({ kind: z.enum(['INCENTIVE', 'SURVEY']), sequence: z.int(), amount: z.int(), paidAt: timestamp })),
  payout: z.object({ hasAccount: z.boolean(), blocked: z.enum(PAYOUT_BLOCKED_REASONS).nullable() }),
  surveys: z.array(
    z.object({ sequence: z.int(), status: z.enum(['UPCOMING', 'OPEN', 'SUBMITTED', 'MISSED']), opensAt: timestamp.nullable(), closesAt: timestamp.nullable() }),
  ),
  deadlines: z.object({
    emailVerificationBy: timestamp.nullable(),
    identityCorrectionBy: timestamp.nullable(),
    trainingPurchaseBy: timestamp.nullable(),
    nextIncentiveAt: timestamp.nullable(),
  }),
  calendar: programCalendarSchema.nullable(),
  terms: programTermsSchema.nullable().meta({ description: 'The terms of the wave the participant was selected in, kept for the whole journey; null before the selection' }),
  exit: z
    .object({ reason: z.string(), at: timestamp, by: z.string().nullable(), repayment: z.object({ amount: z.int(), dueAt: timestamp }).nullable() })
    .nullable(),
  appealableUntil: timestamp.nullable().meta({ description: 'Until when the way out may be appealed (INELIGIBLE, REJECTED, REVOKED)' }),
  appeal: z
    .object({
      appealId: z.uuid(),
      appealedStage: z.enum(APPEALABLE_STAGES),
      status: z.enum(['OPEN', 'UPHELD', 'OVERTURNED']),
      filedAt: timestamp,
      decidedAt: timestamp.nullable(),
      decidedBy: z.string().nullable(),
      rulesBasis: z.enum(APPEAL_RULES_BASES).nullable(),
      result: z.enum(APPEAL_RESULTS).nullable(),
    })
    .nullable()
    .meta({ description: 'The latest appeal; the statement and the reviewer\'s reason are read through /v1/appeals/{appealId}' }),
  personalData: maskedPersonalDataSchema.nullable().optional().meta({
    description: 'Masked (GET only): NIK 3171********0001, initials, birth year, e-mail and phone partly hidden, the account\'s last four digits. Null once erased after the retention period. Auditors read it unmasked through POST /v1/participants/{id}/personal-data/unmasked-reads.',
  }),
  pseudonymisedAt: timestamp.nullable().optional().meta({ description: 'When the personal data was erased (GET only)' }),
  source: z.enum(['workflow', 'registration']).meta({
    description: 'workflow: the journey\'s live state; registration: the journey is still being started, so only the registration is known',
  }),
}).meta({ id: 'Participant' });

export type ParticipantView = z.output<typeof participantSchema>;

export const operatorActionSchema = z
  .object({
    actionId: z.uuid(),
    batchId: z.uuid().nullable().meta({ description: 'The batch action this was part of; null for an action on this participant alone' }),
    kind: z.enum(OPERATOR_ACTION_KINDS),
    actor: z.string().meta({ description: 'The name on the operator\'s key or token' }),
    actorRole: z.string(),
    reason: z.string(),
    requestedAt: z.iso.datetime(),
    outcome: z.enum(['DONE', 'REFUSED', 'UNKNOWN']).meta({ description: 'UNKNOWN: the journey\'s answer never came (timeout); read the participant\'s state' }),
    refusalCode: z.string().nullable(),
    before: journeySnapshotSchema.nullable(),
    after: journeySnapshotSchema.nullable().meta({ description: 'For a cancellation, the stage the journey accepted to leave by' }),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'OperatorAction' });
export type OperatorActionView = z.output<typeof operatorActionSchema>;
/** An appeal's step on the participant's audit trail, beside the operator actions. */
export const appealStepSchema = z
  .object({
    appealId: z.uuid(),
    step: z.enum(['FILED', 'DECIDED', 'RESULT']).meta({ description: 'FILED by the participant; DECIDED by a reviewer; RESULT: what deciding again found after an overturn' }),
    at: z.iso.datetime(),
    appealedStage: z.enum(APPEALABLE_STAGES),
    actor: z.string().nullable().meta({ description: 'DECIDED: the reviewer\'s name' }),
    actorRole: z.enum(['participant', 'reviewer']).nullable(),
    outcome: z.enum(['UPHELD', 'OVERTURNED']).nullable(),
    reason: z.string().nullable().meta({ description: 'DECIDED: the reviewer\'s reason' }),
    rulesBasis: z.enum(APPEAL_RULES_BASES).nullable(),
    result: z.enum(APPEAL_RESULTS).nullable(),
    identityCorrected: z.boolean().optional().meta({ description: 'FILED: a corrected name and date of birth came with it' }),
    withDocument: z.boolean().optional().meta({ description: 'FILED: a document came with it' }),
  })
  .meta({ id: 'AppealStep' });
export type AppealStepView = z.output<typeof appealStepSchema>;

export const auditTrailSchema = z
  .object({
    participantId: z.uuid(),
    actions: z.array(operatorActionSchema),
    appealSteps: z.array(appealStepSchema).meta({ description: 'The participant\'s appeals step by step (filed, decided, result), oldest appeal first; no statement' }),
  })
  .meta({ id: 'OperatorAuditTrail' });
export type AuditTrail = z.output<typeof auditTrailSchema>;

export const journeyResetSchema = z
  .object({
    participantId: z.uuid(),
    step: z.enum(RESET_STEPS),
    previousRunId: z.string().meta({ description: 'The run reset (terminated if it was still running)' }),
    runId: z.string().meta({ description: 'The new run, which runs the step again' }),
    participant: participantSchema.nullable().meta({ description: 'The new run\'s state; null if it did not answer in time' }),
  })
  .meta({ id: 'JourneyReset' });
export type JourneyReset = z.output<typeof journeyResetSchema>;

export const participantNoticesSchema = z
  .object({
    notices: z.array(
      z.object({
        milestone: z.string().meta({ description: 'What the notice marks (its key): ELIGIBLE, PAYMENT:INCENTIVE:2, …; an operator\'s resend is <milestone>:resend-<n>', example: 'ELIGIBLE' }),
        kind: z.enum(NOTICE_KINDS),
        channel: z.enum(NOTICE_CHANNELS),
        status: z.enum(['SENDING', 'SENT']).meta({ description: 'SENDING until the mail server or the messaging gateway accepted it' }),
        attempts: z.int().meta({ description: 'How many times it was handed to the channel (more than one only after a send cut short)' }),
        createdAt: timestamp,
        sentAt: timestamp.nullable(),
      }),
    ),
  })
  .meta({ id: 'ParticipantNotices' });
export type ParticipantNotices = z.output<typeof participantNoticesSchema>;
export type ParticipantNoticeView = ParticipantNotices['notices'][number];

export const accessTokenRequestSchema = z
  .object({
    ttlSeconds: z
      .int('must be a whole number of seconds')
      .min(PARTICIPANT_TOKEN_MIN_TTL_SECONDS, `must be at least ${PARTICIPANT_TOKEN_MIN_TTL_SECONDS}`)
      .max(PARTICIPANT_TOKEN_MAX_TTL_SECONDS, `must be at most ${PARTICIPANT_TOKEN_MAX_TTL_SECONDS}`)
      .default(3600)
      .meta({ description: 'How long the token lives, in seconds' }),
  })
  .meta({ id: 'ParticipantAccessTokenRequest' });

export const accessTokenSchema = z
  .object({
    token: z.string().meta({ description: 'A bearer token for this participant\'s own status and appeals, and nothing else' }),
    expiresAt: timestamp,
  })
  .meta({ id: 'ParticipantAccessToken' });
export type AccessToken = z.output<typeof accessTokenSchema>;

export const statusQuerySchema = z.object({
  lang: z.enum(LANGUAGES).optional().meta({ description: 'id (Bahasa Indonesia) or en; by default the language the participant chose at registration' }),
});

export const participantStatusSchema = z
  .object({
    participantId: z.uuid(),
    language: z.enum(LANGUAGES),
    stage: z.enum(STAGES),
    stageLabel: z.string().meta({ example: 'Tidak memenuhi syarat' }),
    since: timestamp.meta({ description: 'When the participant reached this stage' }),
    nextStep: z
      .object({
        code: z.string().meta({ description: 'VERIFY_EMAIL, CORRECT_IDENTITY, APPLY_TO_WAVE, BUY_TRAINING, COMPLETE_TRAINING, GIVE_PAYOUT_ACCOUNT, SUBMIT_SURVEY, APPEAL or WAIT_FOR_APPEAL_DECISION' }),
        text: z.string(),
        dueBy: timestamp.nullable(),
      })
      .nullable()
      .meta({ description: 'The one thing to do now (or wait for), and by when; null when there is nothing to do' }),
    reasons: z
      .array(z.object({ code: z.string(), text: z.string().meta({ description: 'In the participant\'s language where the rule gives it, else the rule\'s own description' }), reference: z.string().nullable().meta({ description: 'The legal basis' }) }))
      .meta({ description: 'Why: each failed criterion of the latest eligibility decision, and a way out\'s own reason (e.g. TRAINING_NOT_PURCHASED_IN_TIME)' }),
    exit: z
      .object({ stage: z.enum(STAGES), at: timestamp, repayment: z.object({ amount: z.int(), dueAt: timestamp }).nullable() })
      .nullable(),
    trainingBalance: z.int().meta({ description: 'Rupiah' }),
    payments: z.array(z.object({ kind: z.enum(['INCENTIVE', 'SURVEY']), sequence: z.int(), amount: z.int(), paidAt: timestamp })),
    totalPaid: z.int().meta({ description: 'Rupiah' }),
    appeal: z
      .object({
        appealId: z.uuid(),
        status: z.enum(['OPEN', 'UPHELD', 'OVERTURNED']),
        filedAt: timestamp,
        decidedAt: timestamp.nullable(),
        result: z.enum(APPEAL_RESULTS).nullable().meta({ description: 'Overturned, what deciding again found' }),
        reviewerReason: z.string().nullable(),
      })
      .nullable()
      .meta({ description: 'The latest appeal' }),
    appealableUntil: timestamp.nullable().meta({ description: 'Until when the way out may be appealed' }),
    noticeChannel: z.enum(NOTICE_CHANNELS),
  })
  .meta({ id: 'ParticipantStatus' });
export type ParticipantStatus = z.output<typeof participantStatusSchema>;

export const photoStoredSchema = z.object({
  participantId: z.uuid(),
  contentType: z.enum(['image/jpeg', 'image/png']),
  sizeBytes: z.int(),
});
export type PhotoStored = z.output<typeof photoStoredSchema>;

export function describeParticipantRoutes(registry: OpenAPIRegistry): void {
  const idParams = z.object({ id: z.uuid() });
  const answer = { description: 'The participant\'s state after the step', ...jsonContent(participantSchema) };
  const bodySteps = [
    ['post', '/v1/participants/{id}/email-verification', 'Verify the email address with the mailed token (backend)', emailVerificationRequestSchema],
    ['put', '/v1/participants/{id}/identity', 'Correct name and birth date after a Dukcapil mismatch (backend)', identityCorrectionRequestSchema],
    ['post', '/v1/participants/{id}/wave-applications', 'Apply to an open wave (backend)', waveApplicationRequestSchema],
    ['put', '/v1/participants/{id}/payout-account', 'Set the bank account or e-wallet incentives are paid to (backend)', payoutAccountRequestSchema],
    ['post', '/v1/participants/{id}/withdrawal', 'Withdraw from the program (backend)', withdrawalRequestSchema],
    ['post', '/v1/participants/{id}/cancellation', 'Cancel a participation, with a reason; audited (operator)', operatorActionRequestSchema],
    ['post', '/v1/participants/{id}/verification-email-resends', 'Send the verification mail again, with a reason; audited (operator)', operatorActionRequestSchema],
    [
      'post',
      '/v1/participants/{id}/notice-resends',
      'Send a notice the journey sent again (the participant says it never came), by its milestone, as a message of its own (milestone <milestone>:resend-<n>), with a reason; audited (operator). Answered once the channel accepted it. Errors: 422 NOTICE_NOT_SENT (the journey sent no notice of that milestone: nothing sent), 422 NOTICE_REFUSED (the mail server or gateway refused it for good), 409 WRONG_STAGE (the journey has ended)',
      noticeResendRequestSchema,
    ],
    ['post', '/v1/participants/{id}/payout-retries', 'Try a blocked payment again once its cause is fixed, with a reason; audited (operator)', operatorActionRequestSchema],
    [
      'post',
      '/v1/participants/{id}/deadline-extensions',
      'Move an open deadline later, within the calendar\'s maxDeadlineExtension for that deadline in all, with a reason; audited (operator). Errors: 409 DEADLINE_NOT_OPEN, DEADLINE_NOT_EXTENDABLE, WRONG_STAGE; 422 DEADLINE_EXTENSION_OVER_LIMIT',
      deadlineExtensionRequestSchema,
    ],
  ] as const;

  registry.registerPath({
    method: 'get',
    path: '/v1/participants/{id}',
    summary: 'Read a participant\'s state (backend, operator)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'The participant\'s state', ...jsonContent(participantSchema) }, ...errorResponses(401, 403, 404, 503) },
  });
  for (const [method, path, summary, body] of bodySteps) {
    registry.registerPath({
      method,
      path,
      summary,
      security: [{ apiKey: [] }],
      request: { params: idParams, body: jsonContent(body) },
      responses: { 200: answer, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
    });
  }
  registry.registerPath({
    method: 'post',
    path: '/v1/participants/{id}/resets',
    summary:
      'Reset the journey to the start of a step, found by name in its history (Temporal reset; signals and updates after that point are offered to the new run again), with a reason; audited with both run ids (operator). Errors: 400 VALIDATION_FAILED (unknown step), 422 RESET_TARGET_NOT_FOUND (the run never reached the step: nothing reset), 409 RESET_REFUSED (Temporal refused it: nothing reset)',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(journeyResetRequestSchema) },
    responses: { 200: { description: 'The new run', ...jsonContent(journeyResetSchema) }, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/participants/{id}/status',
    summary:
      'What the participant reads about themselves, in their language: stage, the next step and by when, the reasons, money, their appeal (the participant with their own token, backend). ' +
      'A participant\'s token for another id is answered 404 PARTICIPANT_NOT_FOUND, as for an unknown participant',
    security: [{ apiKey: [] }],
    request: { params: idParams, query: statusQuerySchema },
    responses: { 200: { description: 'The status', ...jsonContent(participantStatusSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/participants/{id}/access-tokens',
    summary:
      'A token for the participant themselves, once the participant portal has signed them in its own way (backend): a JWT for the audience <AUTH_TOKEN_AUDIENCE>:participant, ' +
      'role participant, subject the participant id; it opens GET /v1/participants/{id}/status and POST /v1/participants/{id}/appeals for this id only',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(accessTokenRequestSchema) },
    responses: { 201: { description: 'The token', ...jsonContent(accessTokenSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/participants/{id}/audit-trail',
    summary: 'The operator actions on a participant (who, when, why, the journey before and after) and the steps of their appeals (filed, decided by whom with the outcome and reason, result) (operator, auditor)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'Oldest first', ...jsonContent(auditTrailSchema) }, ...errorResponses(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/participants/{id}/notices',
    summary: 'The notices sent to the participant (milestone, kind, channel, status, when), resends included; never their content or address (operator, auditor)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'Oldest first', ...jsonContent(participantNoticesSchema) }, ...errorResponses(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/participants/{id}/email-verification/resend',
    summary: 'Send the verification mail again (backend)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: answer, ...errorResponses(401, 403, 404, 409, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/participants/{id}/surveys/{n}',
    summary: `Submit employment survey n (1 to the survey count of the participant's terms) (backend)`,
    security: [{ apiKey: [] }],
    request: { params: idParams.extend({ n: z.int().min(1).max(MAX_PAYMENT_COUNT) }), body: jsonContent(surveySubmissionRequestSchema) },
    responses: { 200: answer, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/participants/{id}/photo',
    summary: 'Upload the ID selfie: JPEG or PNG, raw body, at most 2 MB (backend). Does not gate verification.',
    security: [{ apiKey: [] }],
    request: {
      params: idParams,
      body: { content: { 'image/jpeg': { schema: z.string().meta({ format: 'binary' }) }, 'image/png': { schema: z.string().meta({ format: 'binary' }) } } },
    },
    responses: { 200: { description: 'Stored', ...jsonContent(photoStoredSchema) }, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
  });
}
