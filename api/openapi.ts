// The OpenAPI document, generated from the same zod schemas that validate the requests.
import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { describeAppealRoutes } from './appeals/appeal.schema';
import { describeBatchActionRoutes } from './batch-actions/batch-action.schema';
import { describeCodecRoutes } from './codec/codec.router';
import { describeConsoleRoutes } from './console/console.router';
import { describeHealthRoutes } from './health/health.router';
import { describeMeRoutes } from './me/me.router';
import { describeParticipantRoutes } from './participants/participant.schema';
import { describePersonalDataRoutes } from './personal-data/personal-data.schema';
import { describeReconciliationRoutes } from './reconciliation/reconciliation.schema';
import { describeRegistrationRoutes } from './registrations/registration.schema';
import { describeRuleSetRoutes } from './rule-sets/rule-set.schema';
import { describeStatsRoutes } from './stats/funnel.schema';
import { describeTrainingPlatformRoutes } from './training-platforms/training-event.schema';
import { describeWaveRoutes } from './waves/wave.schema';

export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A stored API key (jalur_<keyId>_<secret>, bound to a role: backend, program-manager, operator, auditor, reviewer, or a training platform), a person\'s signed token (JWT), ' +
      'or a participant\'s own token (POST /v1/participants/{id}/access-tokens), which opens only that participant\'s status and appeals. ' +
      'Outside production the development keys dev-backend, dev-program-manager, dev-operator, dev-auditor, dev-reviewer, dev-appeals-reviewer and dev-appeals-reviewer-2 work too.',
  });
  describeHealthRoutes(registry);
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (no key needed)',
    responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
  });
  describeMeRoutes(registry);
  describeCodecRoutes(registry);
  describeConsoleRoutes(registry);
  describeRegistrationRoutes(registry);
  describeParticipantRoutes(registry);
  describePersonalDataRoutes(registry);
  describeAppealRoutes(registry);
  describeTrainingPlatformRoutes(registry);
  describeWaveRoutes(registry);
  describeRuleSetRoutes(registry);
  describeStatsRoutes(registry);
  describeReconciliationRoutes(registry);
  describeBatchActionRoutes(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Jalur API',
      version: '1.0.0',
      description: 'Registration, the participant journey, the participant\'s own status and appeals, training-platform webhooks, waves with their selection, the funnel and eligibility rule sets of a Kartu Prakerja-style program.',
    },
    servers: [{ url: serverUrl }],
  });
}
