/** The simulators' environment, parsed once at boot; every problem is reported at once. */
import path from 'node:path';
import { z } from 'zod';
import { PlatformSecretsFormatError, parseTrainingPlatformSecrets } from '../lib/training-platform-secrets';
import { POPULATION_CAPACITY } from './population';

const portSchema = z.coerce.number().int().min(0).max(65_535);

const simulatorsEnvSchema = z.object({
  SIMULATORS_PORT: portSchema.default(4000),
  SIMULATORS_HOST: z.string().min(1).default('127.0.0.1'),
  SIM_SMTP_PORT: portSchema.default(2525),
  SIM_POPULATION_SEED: z.coerce.number().int().min(0).max(0xffff_ffff).default(2020),
  SIM_POPULATION_SIZE: z.coerce.number().int().min(1).max(POPULATION_CAPACITY).default(1_000_000),
  JALUR_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  TRAINING_PLATFORM_SECRETS: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      try {
        return parseTrainingPlatformSecrets(raw);
      } catch (err) {
        if (err instanceof PlatformSecretsFormatError) {
          err.problems.forEach((problem) => ctx.addIssue({ code: 'custom', message: problem }));
          return z.NEVER;
        }
        throw err;
      }
    }),
  SIM_PAYMENTS_IDEMPOTENCY_WINDOW_SECONDS: z.coerce.number().int().min(1).default(86_400),
  /** The stack's data folder (lib/config.ts reads it too); the simulators keep theirs inside it by default. */
  JALUR_DATA_DIR: z.string().min(1).default('data'),
  SIMULATORS_DATA_DIR: z.string().min(1).optional(),
});

/** Every environment variable the simulators read. */
export const SIMULATORS_CONFIGURATION_VARIABLES: readonly string[] = Object.keys(simulatorsEnvSchema.shape);

export interface SimulatorsConfig {
  port: number;
  host: string;
  smtpPort: number;
  populationSeed: number;
  populationSize: number;
  jalurApiUrl: string;
  trainingPlatformSecrets: ReadonlyMap<string, string>;
  paymentsIdempotencyWindowSeconds: number;
  /** Absolute: where the state journals live. */
  dataDir: string;
}

export class SimulatorsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid simulators environment:\n  ${problems.join('\n  ')}`);
    this.name = 'SimulatorsConfigError';
  }
}

export function loadSimulatorsConfig(env: NodeJS.ProcessEnv): Readonly<SimulatorsConfig> {
  const parsed = simulatorsEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new SimulatorsConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  return Object.freeze({
    port: values.SIMULATORS_PORT,
    host: values.SIMULATORS_HOST,
    smtpPort: values.SIM_SMTP_PORT,
    populationSeed: values.SIM_POPULATION_SEED,
    populationSize: values.SIM_POPULATION_SIZE,
    jalurApiUrl: values.JALUR_API_URL,
    trainingPlatformSecrets: values.TRAINING_PLATFORM_SECRETS,
    paymentsIdempotencyWindowSeconds: values.SIM_PAYMENTS_IDEMPOTENCY_WINDOW_SECONDS,
    dataDir: path.resolve(values.SIMULATORS_DATA_DIR ?? path.join(values.JALUR_DATA_DIR, 'simulators')),
  });
}
