// Builds the Express app from its dependencies; server.ts listens, tests use it with supertest.
import express, { type Express } from 'express';
import helmet from 'helmet';
import { PeopleTokens } from '../lib/people-tokens';
import { AppealDocumentStorage } from './appeals/appeal-documents';
import { AppealService } from './appeals/appeal.service';
import { createAppealFilingRouter, createAppealsRouter } from './appeals/appeals.router';
import { Authenticator } from './authentication';
import { BatchActionService } from './batch-actions/batch-action.service';
import { createBatchActionsRouter } from './batch-actions/batch-actions.router';
import { createAccessControl } from './authorization';
import { createCodecRouter } from './codec/codec.router';
import { createConsoleRouter } from './console/console.router';
import { allowCorsFrom } from './cors';
import type { AppDependencies } from './dependencies';
import { answerUnknownRoute, createErrorHandler } from './errors';
import { HealthService } from './health/health.service';
import { createApiMetrics } from './metrics/api-metrics';
import { createMetricsRouter } from './metrics/metrics.router';
import { createHealthRouter } from './health/health.router';
import { createMeRouter } from './me/me.router';
import { buildOpenApiDocument } from './openapi';
import { ParticipantService } from './participants/participant.service';
import { createParticipantsRouter } from './participants/participants.router';
import { createPersonalDataRouter } from './personal-data/personal-data.router';
import { PersonalDataService } from './personal-data/personal-data.service';
import { PhotoStorage } from './participants/photo-storage';
import { shedLoadBeyond } from './load-shedding';
import { limitPerClientAddress } from './rate-limits';
import { InlineStartGate } from './registrations/inline-start-gate';
import { ParticipantJourneyStarter } from './registrations/participant-journey-starter';
import { RegistrationService } from './registrations/registration.service';
import { createReconciliationRouter } from './reconciliation/reconciliation.router';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { createRegistrationsRouter } from './registrations/registrations.router';
import { assignRequestId, logRequests } from './request-logging';
import { ReevaluationService } from './rule-sets/reevaluation.service';
import { RuleSetService } from './rule-sets/rule-set.service';
import { createRuleSetsRouter } from './rule-sets/rule-sets.router';
import { FunnelService } from './stats/funnel.service';
import { createStatsRouter } from './stats/stats.router';
import { TrainingEventService } from './training-platforms/training-event.service';
import { createTrainingPlatformsRouter } from './training-platforms/training-platforms.router';
import { WaveService } from './waves/wave.service';
import { createWavesRouter } from './waves/waves.router';

export type { AppDependencies } from './dependencies';

/**
 * helmet's defaults (nosniff, frame-ancestors, HSTS, referrer policy, ...) with a CSP the console
 * fits in: its own scripts only, inline styles (CodeMirror writes them). Upgrading requests to
 * HTTPS only when served over HTTPS: on the loopback dev setup it would break every asset.
 */
function securityHeaders(servedOverHttps: boolean) {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': servedOverHttps ? [] : null,
      },
    },
    strictTransportSecurity: servedOverHttps,
  });
}

const MAX_JSON_BODY = '100kb';

export function createApp(deps: AppDependencies): Express {
  const { config, prisma, temporal, logger, personalData } = deps;
  const now = deps.now ?? (() => new Date());
  const tokens = deps.peopleTokens ?? new PeopleTokens(config.tokens);
  const authorize = createAccessControl({ config, authenticator: new Authenticator({ config, prisma, tokens, now }), now });
  const journeyStarter = new ParticipantJourneyStarter({ prisma, temporal, config, logger });
  // Built on first request: most processes (and tests) never ask for it.
  let openApiDocument: ReturnType<typeof buildOpenApiDocument> | undefined;

  const health = new HealthService({ prisma, temporal, simulatorsUrl: config.simulators.url, fetch: deps.fetch ?? fetch });
  const funnel = new FunnelService({ prisma, now });
  const metrics = createApiMetrics({ prisma, funnel, health, logger });

  const app = express();
  app.disable('x-powered-by');
  // Behind N proxies req.ip (the per-address rate limit) is the client's, not the balancer's.
  app.set('trust proxy', config.api.trustProxy);
  app.use(assignRequestId);
  app.use(logRequests(logger));
  app.use(metrics.observeRequests);
  app.use(securityHeaders(config.api.url.startsWith('https:')));
  app.use(limitPerClientAddress(config.api.rateLimits));

  app.use('/health', createHealthRouter({ health, authorize }));
  app.use('/metrics', createMetricsRouter({ metrics, authorize }));
  app.get('/openapi.json', authorize('GET /openapi.json'), (_req, res) => {
    openApiDocument ??= buildOpenApiDocument(config.api.url);
    res.json(openApiDocument);
  });
  app.use('/console', createConsoleRouter({ config, authorize, distDir: deps.consoleDistDir }));
  // These read their bodies themselves: the codec allows large bodies, the webhooks need the raw
  // bytes for the signature, rule sets are parsed so a syntax error names its line, an appeal
  // carries its document. Everything after them is JSON of modest size.
  app.use(
    '/codec',
    createCodecRouter({
      payloadEncryption: config.payloadEncryption,
      allowedOrigins: config.codecCorsOrigins,
      authorize,
      tokens,
      tokenAudience: config.tokens.audience,
      secureCookie: config.api.url.startsWith('https:'),
      now,
    }),
  );
  // Everything else: the API's own origin (the console) and the configured allow-list only.
  app.use(
    allowCorsFrom({
      allowedOrigins: config.api.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      headers: ['Authorization', 'Content-Type', 'If-Match'],
      exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id'],
    }),
  );
  app.use('/v1/training-platforms', createTrainingPlatformsRouter({ trainingEvents: new TrainingEventService({ prisma, temporal, logger }), authorize }));
  const ruleSets = new RuleSetService({ prisma, logger, now, review: config.ruleSetReview, simulator: deps.ruleSetSimulator });
  app.use('/v1/rule-sets', createRuleSetsRouter({ ruleSets, reevaluations: new ReevaluationService({ prisma, temporal, config, logger, now, ruleSets }), authorize }));

  const appeals = new AppealService({ prisma, temporal, documents: new AppealDocumentStorage(config.photoStorageDir, personalData), personalData, logger, now });
  // An appeal brings its document in its JSON body: its route reads up to 3 MB itself.
  app.use('/v1/participants', createAppealFilingRouter({ appeals, authorize }));

  // Shed before the body is read: past the limit a registration costs almost nothing.
  app.use('/v1/registrations', shedLoadBeyond(config.registrations));
  app.use(express.json({ limit: MAX_JSON_BODY }));
  app.use('/v1/me', createMeRouter({ authorize }));
  app.use(
    '/v1/registrations',
    createRegistrationsRouter({
      registrations: new RegistrationService({
        store: deps.registrationStore,
        personalData,
        journeyStarter: config.registrations.inlineStart ? journeyStarter : undefined,
        inlineStartGate: new InlineStartGate(config.registrations.inlineStartGate),
        logger,
        retryAfterSeconds: config.registrations.retryAfterSeconds,
      }),
      authorize,
    }),
  );
  app.use(
    '/v1/participants',
    createParticipantsRouter({
      participants: new ParticipantService({ prisma, temporal, photoStorage: new PhotoStorage(config.photoStorageDir), personalData, tokens, logger, now }),
      authorize,
    }),
  );
  app.use('/v1/appeals', createAppealsRouter({ appeals, authorize }));
  app.use('/v1', createPersonalDataRouter({ personalData: new PersonalDataService({ prisma, personalData, logger, now }), authorize }));
  app.use('/v1/waves', createWavesRouter({ waves: new WaveService({ prisma, temporal, selectionTaskQueue: config.temporal.selectionTaskQueue, logger, now }), authorize }));
  app.use('/v1/stats', createStatsRouter({ funnel, authorize }));
  app.use(
    '/v1/reconciliation',
    createReconciliationRouter({ reconciliation: new ReconciliationService({ prisma, temporal, taskQueue: config.temporal.taskQueue, logger, now }), authorize }),
  );

  app.use('/v1/batch-actions', createBatchActionsRouter({ batchActions: new BatchActionService({ prisma, temporal, config, logger }), authorize }));

  app.use(answerUnknownRoute);
  app.use(createErrorHandler(logger));
  return app;
}
