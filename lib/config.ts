// Configuration: parsed once from the environment with zod, failing fast with every problem
// listed. Every variable is documented in README.md with its default.
import path from 'node:path';
import { parse as parseIsoDuration } from 'tinyduration';
import { z } from 'zod';
import type { OutsideSystemQueue } from './outside-systems';

// auditor: reads decisions, audit trails and (audited, with a stated reason) unmasked personal data.
// reviewer: decides participants' appeals; apart from operators and program managers, so nobody
// reviews a decision they took part in by their role alone.
export const ROLES = ['backend', 'program-manager', 'operator', 'auditor', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

/** The roles a person signs in with (a token or a key); backend is a service only. */
export const PEOPLE_ROLES = ['program-manager', 'operator', 'auditor', 'reviewer'] as const satisfies readonly Role[];
export type PersonRole = (typeof PEOPLE_ROLES)[number];

/**
 * A training platform's API key is bound to its platform and holds none of the ROLES: no route
 * lists it, so it is refused everywhere except where a route checks the platform itself.
 */
export const TRAINING_PLATFORM_ROLE = 'training-platform';
export type KeyRole = Role | typeof TRAINING_PLATFORM_ROLE;
export const KEY_ROLES = [...ROLES, TRAINING_PLATFORM_ROLE] as const;

/**
 * A participant's own token (lib/people-tokens.ts, issued through the backend) holds none of the
 * ROLES either: it opens only routes that list it, and there only the participant's own `:id`.
 * Never a key's role, never a person's.
 */
export const PARTICIPANT_ROLE = 'participant';
export type ParticipantRole = typeof PARTICIPANT_ROLE;
/** Who a route may let in by bearer credential: a role, or the participant the route is about. */
export type AccessRole = Role | ParticipantRole;

/** Fixed development keys, accepted only when NODE_ENV is not production. */
export const DEVELOPMENT_API_KEYS: ReadonlyArray<{ key: string; role: Role }> = [
  { key: 'dev-backend', role: 'backend' },
  { key: 'dev-program-manager', role: 'program-manager' },
  { key: 'dev-operator', role: 'operator' },
  { key: 'dev-auditor', role: 'auditor' },
  // A second program manager, so that a local demo can show four eyes: one submits, the other approves.
  { key: 'dev-reviewer', role: 'program-manager' },
  // Appeals reviewers (the reviewer role); the second one lets a test or a demo show that a
  // reviewer named in a decision cannot decide its appeal while another one can.
  { key: 'dev-appeals-reviewer', role: 'reviewer' },
  { key: 'dev-appeals-reviewer-2', role: 'reviewer' },
];

// Development-only encryption keys (32 bytes each, base64). Refused in production.
const DEVELOPMENT_TOKEN_SIGNING_KEYS = 'dev-2026:ZGV2LXRva2VuLXNpZ25pbmcta2V5LW5vdC1wcm9kISE=';
const DEVELOPMENT_PAYLOAD_KEYS = 'dev-2026:ZGV2LXBheWxvYWQta2V5LW5vdC1mb3ItcHJvZC11c2U=';
const DEVELOPMENT_PII_KEYS = 'dev-2026:ZGV2LXBpaS1rZXktbm90LWZvci1wcm9kdWN0aW9uISE=';
const DEVELOPMENT_BLIND_INDEX_KEY = 'ZGV2LWJsaW5kLWluZGV4LW5vdC1mb3ItcHJvZC11c2U=';

const booleanFromString = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((value) => value === 'true' || value === '1');

const port = z.coerce.number().int().min(0).max(65535);

/** An ISO-8601 duration of at least a second, e.g. P5Y, P18M, PT1H. */
const isoDuration = z.string().refine((value) => {
  try {
    const d = parseIsoDuration(value);
    return !d.negative && [d.years, d.months, d.weeks, d.days, d.hours, d.minutes, d.seconds].some((part) => (part ?? 0) > 0);
  } catch {
    return false;
  }
}, 'must be a positive ISO-8601 duration such as P5Y or PT1H');
const requestsPerSecond = z.coerce.number().positive().max(100_000);
const concurrentRequests = z.coerce.number().int().min(1).max(10_000);

/** `keyId:base64Key,keyId:base64Key`; every key must decode to 32 bytes (AES-256). */
const keyRing = z.string().transform((value, ctx) => {
  const keys = new Map<string, Buffer>();
  for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (separator <= 0 || key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: `key "${id || entry.slice(0, 8)}" must be keyId:base64 of 32 bytes` });
      return z.NEVER;
    }
    keys.set(id, key);
  }
  if (keys.size === 0) {
    ctx.addIssue({ code: 'custom', message: 'at least one key is required' });
    return z.NEVER;
  }
  return keys;
});

/**
 * `role:name:key,...`: bootstrap keys from the environment, for a deployment's first start (before
 * `npm run keys -- create` has stored any) and as a break-glass. Stored keys are the normal way.
 */
const apiKeyList = z.string().transform((value, ctx) => {
  const keys: Array<{ key: string; role: Role; name: string }> = [];
  for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [role, name, key] = entry.split(':');
    const parsedRole = z.enum(ROLES).safeParse(role);
    if (!parsedRole.success || !name || !key || key.length < 24) {
      ctx.addIssue({ code: 'custom', message: `entry "${role}:${name}:…" must be role:name:key with a known role and a key of 24+ characters` });
      return z.NEVER;
    }
    keys.push({ key, role: parsedRole.data, name });
  }
  return keys;
});

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    JALUR_DATA_DIR: z.string().default('data'),

    API_HOST: z.string().default('127.0.0.1'),
    API_PORT: port.default(3000),
    API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
    API_PUBLIC_URL: z.url().optional(),
    API_KEYS: apiKeyList.default([]),
    /** Stored API keys are cached this long: a revocation takes effect within it. */
    API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    API_CORS_ORIGINS: z.string().default(''),
    API_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    API_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
    API_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    API_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
    /** Requests per window per client IP (before authentication) and per credential; 0 turns a limit off. */
    RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).max(100_000_000).default(600_000),
    RATE_LIMIT_PER_CREDENTIAL: z.coerce.number().int().min(0).max(100_000_000).default(600_000),

    AUTH_TOKEN_SIGNING_KEYS: keyRing.optional(),
    AUTH_TOKEN_SIGNING_KEY_ID: z.string().optional(),
    AUTH_TOKEN_ISSUER: z.string().min(1).default('jalur'),
    AUTH_TOKEN_AUDIENCE: z.string().min(1).default('jalur-api'),
    AUTH_TOKEN_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    AUTH_TOKEN_MAX_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(12 * 3600),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_JWKS_ISSUER: z.string().optional(),
    AUTH_JWKS_AUDIENCE: z.string().optional(),
    AUTH_ROLE_CLAIM: z.string().min(1).default('jalur_role'),

    TEMPORAL_ADDRESS: z.string().optional(),
    TEMPORAL_NAMESPACE: z.string().default('default'),
    TEMPORAL_TASK_QUEUE: z.string().default('jalur-participants'),
    TEMPORAL_SELECTION_TASK_QUEUE: z.string().optional(),
    TEMPORAL_API_KEY: z.string().optional(),
    TEMPORAL_TLS: booleanFromString.optional(),
    TEMPORAL_TLS_CERT_PATH: z.string().optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().optional(),
    TEMPORAL_TLS_CA_PATH: z.string().optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
    TEMPORAL_DEV_PORT: port.default(7233),
    TEMPORAL_DEV_UI_PORT: port.default(8233),
    TEMPORAL_UI_URL: z.url().optional(),

    DATABASE_URL: z.string().optional(),
    EMBEDDED_POSTGRES_PORT: port.default(5433),

    SIMULATORS_URL: z.url().default('http://127.0.0.1:4000'),
    SIMULATORS_PORT: port.default(4000),
    SMTP_HOST: z.string().default('127.0.0.1'),
    SMTP_PORT: port.default(2525),
    MAIL_FROM: z.string().default('Jalur <no-reply@jalur.local>'),

    PAYLOAD_ENCRYPTION_KEYS: keyRing.optional(),
    PAYLOAD_ENCRYPTION_KEY_ID: z.string().optional(),
    PII_ENCRYPTION_KEYS: keyRing.optional(),
    PII_ENCRYPTION_KEY_ID: z.string().optional(),
    PII_BLIND_INDEX_KEY: z.string().optional(),
    // Personal data is erased this long after the journey ended (completed or any way out).
    PII_RETENTION_PERIOD: isoDuration.default('P5Y'),
    PII_RETENTION_SWEEP_INTERVAL: isoDuration.default('PT1H'),
    PII_RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
    TRAINING_PLATFORM_SECRETS: z.string().default(''),
    CODEC_CORS_ORIGINS: z.string().optional(),
    PHOTO_STORAGE_DIR: z.string().optional(),

    // A payout the ledger and the provider settle on either side of midnight WIB, this many minutes
    // apart at most, matches across the two days instead of being a case on each.
    RECONCILIATION_MIDNIGHT_GRACE_MINUTES: z.coerce.number().int().min(0).max(360).default(10),

    // Publishing a rule set takes two program managers (an author, then a different approver);
    // false lets the author publish alone, for a local demo. Production refuses false.
    RULE_SET_FOUR_EYES: booleanFromString.default(true),

    // A batch action over this many participants waits for a second operator's confirmation; it
    // is applied at most this many participants per second (a batch may ask for fewer).
    BATCH_ACTION_CONFIRMATION_THRESHOLD: z.coerce.number().int().min(1).max(100_000_000).default(1_000),
    BATCH_ACTION_MAX_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
    BATCH_ACTION_PAGES_PER_RUN: z.coerce.number().int().min(1).max(1_000).default(200),

    WAVE_CARRY_OVER: booleanFromString.default(false),
    WAVE_SELECTION_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
    WAVE_SELECTION_PAGES_PER_RUN: z.coerce.number().int().min(1).max(1_000).default(100),
    WAVE_SELECTION_SIGNALS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(1_000),
    WAVE_SELECTION_SIGNAL_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(50),
    WORKER_METRICS_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port').optional(),
    // The workflow workers' tuning (participants and wave-selection queues); unset means the
    // Temporal SDK's default. The SDK needs at least 2 workflow slots and pollers with a cache.
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).optional(),
    WORKER_MAX_CONCURRENT_WORKFLOW_TASK_EXECUTIONS: z.coerce.number().int().min(2).max(10_000).optional(),
    WORKER_MAX_CONCURRENT_ACTIVITY_TASK_EXECUTIONS: z.coerce.number().int().min(1).max(10_000).optional(),
    WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS: z.coerce.number().int().min(2).max(1_000).optional(),
    WORKER_MAX_CONCURRENT_ACTIVITY_TASK_POLLS: z.coerce.number().int().min(1).max(1_000).optional(),

    REGISTRATION_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(192),
    REGISTRATION_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3_600).default(1),
    REGISTRATION_INLINE_START: booleanFromString.default(true),
    REGISTRATION_INLINE_START_SLOW_MS: z.coerce.number().int().min(1).max(60_000).default(100),
    REGISTRATION_INLINE_START_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(8),
    REGISTRATION_DB_CONNECTIONS: z.coerce.number().int().min(1).max(1_000).default(10),
    REGISTRATION_DB_WAIT_MS: z.coerce.number().int().min(1).max(60_000).default(5_000),
    REGISTRATION_DB_MAX_BATCH: z.coerce.number().int().min(1).max(1_000).default(50),
    WORKFLOW_START_RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
    WORKFLOW_START_RELAY_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(20),
    WORKFLOW_START_RELAY_STARTS_PER_SECOND: z.coerce.number().positive().max(100_000).default(500),

    // Per outside system: the server-enforced ceiling across every worker (requests per second,
    // on its own task queue) and the calls in flight per worker.
    // How many worker processes serve the outside systems' queues: each also spaces its own calls
    // at ceiling / WORKER_PROCESSES, so that their bursts add up to no more than the ceiling.
    WORKER_PROCESSES: z.coerce.number().int().min(1).max(1_000).default(1),
    DUKCAPIL_MAX_REQUESTS_PER_SECOND: requestsPerSecond.default(200),
    DUKCAPIL_MAX_CONCURRENT_REQUESTS: concurrentRequests.default(50),
    DTKS_MAX_REQUESTS_PER_SECOND: requestsPerSecond.default(200),
    DTKS_MAX_CONCURRENT_REQUESTS: concurrentRequests.default(50),
    DAPODIK_MAX_REQUESTS_PER_SECOND: requestsPerSecond.default(200),
    DAPODIK_MAX_CONCURRENT_REQUESTS: concurrentRequests.default(50),
    KEMNAKER_MAX_REQUESTS_PER_SECOND: requestsPerSecond.default(200),
    KEMNAKER_MAX_CONCURRENT_REQUESTS: concurrentRequests.default(50),
    PARTICIPATION_REGISTRY_MAX_REQUESTS_PER_SECOND: requestsPerSecond.default(200),
    PARTICIPATION_REGISTRY_MAX_CONCURRENT_REQUESTS: concurrentRequests.default(50),
    PAYMENTS_MAX_REQUESTS_PER_SECOND: requestsPerSecond.default(100),
    PAYMENTS_MAX_CONCURRENT_REQUESTS: concurrentRequests.default(20),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const required = ['PAYLOAD_ENCRYPTION_KEYS', 'PII_ENCRYPTION_KEYS', 'PII_BLIND_INDEX_KEY', 'DATABASE_URL', 'TEMPORAL_ADDRESS'] as const;
    for (const name of required) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when NODE_ENV=production' });
    }
    if (!env.RULE_SET_FOUR_EYES) ctx.addIssue({ code: 'custom', path: ['RULE_SET_FOUR_EYES'], message: 'must be true when NODE_ENV=production: publishing eligibility rules takes two program managers' });
  });

export type Environment = z.infer<typeof environmentSchema>;

/** Every environment variable the configuration reads (the README's Configuration table). */
export const CONFIGURATION_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);

export interface KeyRing {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

function buildKeyRing(keys: Map<string, Buffer> | undefined, activeKeyId: string | undefined, developmentKeys: string, name: string): KeyRing {
  const ring = keys ?? keyRing.parse(developmentKeys);
  // The last key listed is the active one unless named: rotation appends a key.
  const active = activeKeyId ?? [...ring.keys()].at(-1)!;
  if (!ring.has(active)) throw new ConfigError([`${name}_KEY_ID: "${active}" is not one of the configured keys`]);
  return { activeKeyId: active, keys: ring };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const dataDir = path.resolve(e.JALUR_DATA_DIR);
  const apiListenUrl = `http://${e.API_HOST}:${e.API_PORT}`;
  const apiUrl = e.API_PUBLIC_URL ?? apiListenUrl;
  return Object.freeze({
    environment: e.NODE_ENV,
    isProduction,
    logLevel: e.LOG_LEVEL,
    dataDir,
    api: {
      host: e.API_HOST,
      port: e.API_PORT,
      /** Node processes sharing the port (node:cluster); 1 runs the API in the process itself. */
      processes: e.API_PROCESSES,
      /** The address the API binds (what a probe or balancer reaches). */
      listenUrl: apiListenUrl,
      /** The address people and mails use: API_PUBLIC_URL, or the listen address. */
      url: apiUrl,
      keys: [...e.API_KEYS, ...(isProduction ? [] : DEVELOPMENT_API_KEYS.map((k) => ({ ...k, name: k.key })))],
      keyCacheSeconds: e.API_KEY_CACHE_SECONDS,
      /** Browser origins (besides the API's own) allowed to call the API; the codec has its own list. */
      corsOrigins: splitList(e.API_CORS_ORIGINS),
      /** Proxy hops in front of the API whose X-Forwarded-For is believed (per-IP rate limits). */
      trustProxy: e.API_TRUST_PROXY,
      timeouts: { headersMs: e.API_HEADERS_TIMEOUT_MS, requestMs: e.API_REQUEST_TIMEOUT_MS, keepAliveMs: e.API_KEEP_ALIVE_TIMEOUT_MS },
      rateLimits: { windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS, perIp: e.RATE_LIMIT_PER_IP, perCredential: e.RATE_LIMIT_PER_CREDENTIAL },
    },
    tokens: {
      /** HS256 keys by key id; unset in production means: only the identity provider's tokens. */
      signing: e.AUTH_TOKEN_SIGNING_KEYS || !isProduction
        ? buildKeyRing(e.AUTH_TOKEN_SIGNING_KEYS, e.AUTH_TOKEN_SIGNING_KEY_ID, DEVELOPMENT_TOKEN_SIGNING_KEYS, 'AUTH_TOKEN_SIGNING')
        : undefined,
      issuer: e.AUTH_TOKEN_ISSUER,
      audience: e.AUTH_TOKEN_AUDIENCE,
      clockToleranceSeconds: e.AUTH_TOKEN_CLOCK_TOLERANCE_SECONDS,
      maxTtlSeconds: e.AUTH_TOKEN_MAX_TTL_SECONDS,
      roleClaim: e.AUTH_ROLE_CLAIM,
      jwks: e.AUTH_JWKS_URL
        ? { url: e.AUTH_JWKS_URL, issuer: e.AUTH_JWKS_ISSUER ?? e.AUTH_TOKEN_ISSUER, audience: e.AUTH_JWKS_AUDIENCE ?? e.AUTH_TOKEN_AUDIENCE }
        : undefined,
    },
    temporal: {
      /** Unset means: `npm start` runs a local dev server on devPort. */
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_DEV_PORT}`,
      usesDevServer: !e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      /** Wave selections run apart, so a long fan-out never takes the participants' slots. */
      selectionTaskQueue: e.TEMPORAL_SELECTION_TASK_QUEUE ?? `${e.TEMPORAL_TASK_QUEUE}-waves`,
      apiKey: e.TEMPORAL_API_KEY,
      tls: {
        enabled: e.TEMPORAL_TLS ?? Boolean(e.TEMPORAL_API_KEY || e.TEMPORAL_TLS_CERT_PATH),
        certPath: e.TEMPORAL_TLS_CERT_PATH,
        keyPath: e.TEMPORAL_TLS_KEY_PATH,
        caPath: e.TEMPORAL_TLS_CA_PATH,
        serverName: e.TEMPORAL_TLS_SERVER_NAME,
      },
      devServer: { port: e.TEMPORAL_DEV_PORT, uiPort: e.TEMPORAL_DEV_UI_PORT },
      uiUrl: e.TEMPORAL_UI_URL ?? `http://127.0.0.1:${e.TEMPORAL_DEV_UI_PORT}`,
    },
    database: {
      /** Unset means: an embedded PGlite server on embeddedPort, data under dataDir. */
      url: e.DATABASE_URL,
      embeddedPort: e.EMBEDDED_POSTGRES_PORT,
    },
    simulators: { url: e.SIMULATORS_URL, port: e.SIMULATORS_PORT },
    mail: { smtpHost: e.SMTP_HOST, smtpPort: e.SMTP_PORT, from: e.MAIL_FROM },
    payloadEncryption: buildKeyRing(e.PAYLOAD_ENCRYPTION_KEYS, e.PAYLOAD_ENCRYPTION_KEY_ID, DEVELOPMENT_PAYLOAD_KEYS, 'PAYLOAD_ENCRYPTION'),
    personalDataEncryption: buildKeyRing(e.PII_ENCRYPTION_KEYS, e.PII_ENCRYPTION_KEY_ID, DEVELOPMENT_PII_KEYS, 'PII_ENCRYPTION'),
    blindIndexKey: Buffer.from(e.PII_BLIND_INDEX_KEY ?? DEVELOPMENT_BLIND_INDEX_KEY, 'base64'),
    /** The personal-data retention schedule (workers/personal-data-retention-schedule.ts). */
    personalDataRetention: { period: e.PII_RETENTION_PERIOD, sweepInterval: e.PII_RETENTION_SWEEP_INTERVAL, batchSize: e.PII_RETENTION_BATCH_SIZE },
    trainingPlatformSecrets: e.TRAINING_PLATFORM_SECRETS,
    codecCorsOrigins: splitList(e.CODEC_CORS_ORIGINS ?? `http://127.0.0.1:${e.TEMPORAL_DEV_UI_PORT},http://localhost:${e.TEMPORAL_DEV_UI_PORT}`),
    photoStorageDir: path.resolve(e.PHOTO_STORAGE_DIR ?? path.join(dataDir, 'photos')),
    /** The daily payment reconciliation (activities/payment-reconciliation.ts). */
    reconciliation: { midnightGraceMs: e.RECONCILIATION_MIDNIGHT_GRACE_MINUTES * 60_000 },
    /** Rule-set review (api/rule-sets/rule-set-review.ts). */
    ruleSetReview: { fourEyes: e.RULE_SET_FOUR_EYES },
    /** Batch actions by filter (api/batch-actions, workflows/batch-action.ts). */
    batchActions: { confirmationThreshold: e.BATCH_ACTION_CONFIRMATION_THRESHOLD, maxPerSecond: e.BATCH_ACTION_MAX_PER_SECOND, pagesPerRun: e.BATCH_ACTION_PAGES_PER_RUN },
    waves: {
      /** Program setting: a participant not selected is applied automatically to the next wave. */
      carryOver: e.WAVE_CARRY_OVER,
      selection: {
        pageSize: e.WAVE_SELECTION_PAGE_SIZE,
        pagesPerRun: e.WAVE_SELECTION_PAGES_PER_RUN,
        signalsPerSecond: e.WAVE_SELECTION_SIGNALS_PER_SECOND,
        signalConcurrency: e.WAVE_SELECTION_SIGNAL_CONCURRENCY,
      },
    },
    worker: {
      metricsAddress: e.WORKER_METRICS_ADDRESS,
      /** Passed to the workflow workers' Worker.create as is; undefined keeps the SDK's default. */
      tuning: {
        maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
        maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASK_EXECUTIONS,
        maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITY_TASK_EXECUTIONS,
        maxConcurrentWorkflowTaskPolls: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS,
        maxConcurrentActivityTaskPolls: e.WORKER_MAX_CONCURRENT_ACTIVITY_TASK_POLLS,
      },
    },
    registrations: {
      /** Registrations in progress per API process; beyond, 429 with Retry-After. */
      maxInFlight: e.REGISTRATION_MAX_IN_FLIGHT,
      retryAfterSeconds: e.REGISTRATION_RETRY_AFTER_SECONDS,
      /** false: the API only commits the outbox row and the relay starts every journey. */
      inlineStart: e.REGISTRATION_INLINE_START,
      /**
       * Starts at signup stop for a while after one slower than slowStartMs (and for longer after
       * a failure), and beyond maxInFlight at once: the relay takes those (inline-start-gate.ts).
       */
      inlineStartGate: { slowStartMs: e.REGISTRATION_INLINE_START_SLOW_MS, slowPauseMs: 5_000, failurePauseMs: 10_000, maxInFlight: e.REGISTRATION_INLINE_START_MAX_IN_FLIGHT },
      /**
       * The registration store's own pool (api/registrations/registration-store.ts), how long a
       * signup waits for one of its connections before 429, and the most signups one commit writes.
       */
      database: { maxConnections: e.REGISTRATION_DB_CONNECTIONS, connectionWaitMs: e.REGISTRATION_DB_WAIT_MS, maxBatchSize: e.REGISTRATION_DB_MAX_BATCH },
    },
    workflowStartRelay: {
      batchSize: e.WORKFLOW_START_RELAY_BATCH_SIZE,
      concurrency: e.WORKFLOW_START_RELAY_CONCURRENCY,
      startsPerSecond: e.WORKFLOW_START_RELAY_STARTS_PER_SECOND,
    },
    /** Each worker process paces its calls to an outside system at that system's ceiling divided by this. */
    workerProcesses: e.WORKER_PROCESSES,
    outsideSystems: {
      dukcapil: { maxRequestsPerSecond: e.DUKCAPIL_MAX_REQUESTS_PER_SECOND, maxConcurrentRequests: e.DUKCAPIL_MAX_CONCURRENT_REQUESTS },
      dtks: { maxRequestsPerSecond: e.DTKS_MAX_REQUESTS_PER_SECOND, maxConcurrentRequests: e.DTKS_MAX_CONCURRENT_REQUESTS },
      dapodik: { maxRequestsPerSecond: e.DAPODIK_MAX_REQUESTS_PER_SECOND, maxConcurrentRequests: e.DAPODIK_MAX_CONCURRENT_REQUESTS },
      kemnaker: { maxRequestsPerSecond: e.KEMNAKER_MAX_REQUESTS_PER_SECOND, maxConcurrentRequests: e.KEMNAKER_MAX_CONCURRENT_REQUESTS },
      'participation-registry': {
        maxRequestsPerSecond: e.PARTICIPATION_REGISTRY_MAX_REQUESTS_PER_SECOND,
        maxConcurrentRequests: e.PARTICIPATION_REGISTRY_MAX_CONCURRENT_REQUESTS,
      },
      payments: { maxRequestsPerSecond: e.PAYMENTS_MAX_REQUESTS_PER_SECOND, maxConcurrentRequests: e.PAYMENTS_MAX_CONCURRENT_REQUESTS },
    } satisfies Record<OutsideSystemQueue, { maxRequestsPerSecond: number; maxConcurrentRequests: number }>,
  });
}

export type Config = ReturnType<typeof loadConfig>;
