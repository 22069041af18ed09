// Personal data in clear: an auditor's unmasked read (with a stated reason), the data-subject
// export (everything Jalur holds on one participant), and the audit of both.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PAYOUT_ACCOUNT_TYPES } from '../../lib/payout-account';
import { errorResponses, jsonContent } from '../openapi-shared';

export const PERSONAL_DATA_FIELDS = ['nik', 'fullName', 'dateOfBirth', 'email', 'phone', 'payoutAccount'] as const;
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

const reasonSchema = z
  .string()
  .trim()
  .min(10, 'must state why, in at least 10 characters')
  .max(500, 'must be at most 500 characters')
  .meta({ example: 'Complaint 2020-0412: participant disputes the NIK on record' });

export const unmaskedReadRequestSchema = z
  .object({
    reason: reasonSchema,
    fields: z.array(z.enum(PERSONAL_DATA_FIELDS)).min(1).max(PERSONAL_DATA_FIELDS.length).default([...PERSONAL_DATA_FIELDS]),
  })
  .meta({ id: 'UnmaskedReadRequest' });

export const dataExportRequestSchema = z.object({ reason: reasonSchema }).meta({ id: 'DataExportRequest' });

const payoutAccountSchema = z.object({ type: z.enum(PAYOUT_ACCOUNT_TYPES), provider: z.string(), accountNumber: z.string(), accountName: z.string() });

export const unmaskedReadSchema = z
  .object({
    participantId: z.uuid(),
    fields: z.object({
      nik: z.string().optional(),
      fullName: z.string().optional(),
      dateOfBirth: z.string().optional(),
      email: z.string().optional(),
      phone: z.string().optional(),
      payoutAccount: payoutAccountSchema.nullable().optional(),
    }),
    auditEntryId: z.uuid().meta({ description: 'The audit entry this read was recorded as' }),
  })
  .meta({ id: 'UnmaskedRead' });
export type UnmaskedRead = z.output<typeof unmaskedReadSchema>;

export const personalDataAccessEntrySchema = z
  .object({
    id: z.uuid(),
    participantId: z.uuid(),
    action: z.enum(['UNMASKED_READ', 'EXPORT', 'PSEUDONYMISED', 'APPEAL_REVIEW']).meta({ description: 'APPEAL_REVIEW: a reviewer or auditor read an appeal (its statement, the decision\'s facts) or its document' }),
    actor: z.string(),
    role: z.string(),
    fields: z.array(z.string()),
    reason: z.string(),
    requestId: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'PersonalDataAccessEntry' });
export type PersonalDataAccessEntry = z.output<typeof personalDataAccessEntrySchema>;

export const accessLogQuerySchema = z.object({
  participantId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.uuid().optional().meta({ description: 'nextCursor of the previous page' }),
});

export const accessLogPageSchema = z
  .object({ entries: z.array(personalDataAccessEntrySchema), nextCursor: z.uuid().nullable() })
  .meta({ id: 'PersonalDataAccessPage' });
export type AccessLogPage = z.output<typeof accessLogPageSchema>;

export const dataSubjectExportSchema = z
  .object({
    exportedAt: z.iso.datetime(),
    participantId: z.uuid(),
    personalData: z
      .object({ nik: z.string(), fullName: z.string(), dateOfBirth: z.string(), email: z.string(), phone: z.string() })
      .nullable()
      .meta({ description: 'Null once erased after the retention period' }),
    payoutAccount: payoutAccountSchema.nullable(),
    pseudonymisedAt: z.iso.datetime().nullable(),
    participation: z.record(z.string(), z.unknown()).meta({ description: 'Stage, profile, milestones, exit, photo on file' }),
    eligibilityDecisions: z.array(z.record(z.string(), z.unknown())).meta({ description: 'Every decision with its rule-set version, reasons and explanation' }),
    eligibilityFacts: z.record(z.string(), z.unknown()).nullable(),
    waveApplications: z.array(z.record(z.string(), z.unknown())),
    ledger: z.array(z.record(z.string(), z.unknown())),
    trainingEvents: z.array(z.record(z.string(), z.unknown())),
    appeals: z.array(z.record(z.string(), z.unknown())).meta({ description: 'Every appeal with its statement, the appealed decision, the reviewer\'s decision and its result; whether a document is on file' }),
    personalDataAccess: z.array(personalDataAccessEntrySchema).meta({ description: 'Every audited access to this participant\'s personal data, this export included' }),
  })
  .meta({ id: 'DataSubjectExport' });
export type DataSubjectExport = z.output<typeof dataSubjectExportSchema>;

export function describePersonalDataRoutes(registry: OpenAPIRegistry): void {
  const idParams = z.object({ id: z.uuid() });
  registry.registerPath({
    method: 'post',
    path: '/v1/participants/{id}/personal-data/unmasked-reads',
    summary: 'Read personal data unmasked, stating why; recorded in the personal-data access log (auditor)',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(unmaskedReadRequestSchema) },
    responses: { 200: { description: 'The fields asked for, in clear', ...jsonContent(unmaskedReadSchema) }, ...errorResponses(400, 401, 403, 404, 410) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/participants/{id}/data-export',
    summary: 'Everything Jalur holds on the participant, as JSON (UU 27/2022 right of access); recorded in the access log (backend, auditor)',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(dataExportRequestSchema) },
    responses: { 200: { description: 'The export', ...jsonContent(dataSubjectExportSchema) }, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/personal-data-access',
    summary: 'The personal-data access log, newest first (auditor)',
    security: [{ apiKey: [] }],
    request: { query: accessLogQuerySchema },
    responses: { 200: { description: 'A page of entries', ...jsonContent(accessLogPageSchema) }, ...errorResponses(400, 401, 403) },
  });
}
