import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { EMPLOYMENT_STATUSES, REGISTRATION_CHANNELS } from '../../rules';
import { LANGUAGES, NOTICE_CHANNELS } from '../../notices/notice';
import { STAGES } from '../../workflows/participant-journey.definitions';
import { errorResponses, jsonContent } from '../openapi-shared';
import { dateOfBirthSchema, emailSchema, fullNameSchema, indonesianMobileSchema, nikSchema } from '../personal-data.schema';

// z.object drops keys it does not list: a client cannot set stage, ids or anything else by
// sending extra fields (no mass assignment), and the service copies the listed fields one by one.
export const registrationRequestSchema = z.object({
  nik: nikSchema,
  fullName: fullNameSchema,
  dateOfBirth: dateOfBirthSchema,
  email: emailSchema,
  phone: indonesianMobileSchema,
  province: z.string().trim().min(2, 'is required').max(64, 'must be at most 64 characters').meta({ example: 'Jawa Barat' }),
  employmentStatus: z.enum(EMPLOYMENT_STATUSES),
  microBusinessLostIncome: z.boolean().default(false),
  channel: z.enum(REGISTRATION_CHANNELS).default('SELF').meta({ description: 'ASSISTED: registered by staff at a local government office' }),
  noticeChannel: z.enum(NOTICE_CHANNELS).default('EMAIL').meta({ description: 'How the participant is told of each milestone: EMAIL, or SMS (a text message to the phone number)' }),
  language: z.enum(LANGUAGES).default('id').meta({ description: 'The language of the participant\'s status view (id: Bahasa Indonesia, en: English); notices carry both' }),
}).meta({ id: 'RegistrationRequest' });

export type RegistrationRequest = z.output<typeof registrationRequestSchema>;

export const registrationAcceptedSchema = z.object({
  participantId: z.uuid(),
  stage: z.enum(STAGES),
}).meta({ id: 'RegistrationAccepted' });

export type RegistrationAccepted = z.output<typeof registrationAcceptedSchema>;

export function describeRegistrationRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/registrations',
    summary: 'Register a participant (backend). One participation per NIK, ever.',
    security: [{ apiKey: [] }],
    request: { body: jsonContent(registrationRequestSchema) },
    responses: {
      202: { description: 'Registered; the verification mail is on its way', ...jsonContent(registrationAcceptedSchema) },
      ...errorResponses(400, 401, 403, 409),
    },
  });
}
