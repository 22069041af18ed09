// What the console needs to know about this deployment: shared by the API, which serves it, and
// the console, which reads it (so this file imports nothing but zod).
import { z } from 'zod';

export const consoleConfigSchema = z
  .object({
    environment: z.enum(['development', 'test', 'production']),
    temporalUiUrl: z.string().meta({ description: 'The Temporal UI operators open a participant\'s workflow in' }),
    temporalNamespace: z.string(),
    developmentKeys: z
      .record(z.string(), z.string())
      .nullable()
      .meta({ description: 'The well-known development keys by role, offered on the sign-in form; null in production' }),
  })
  .meta({ id: 'ConsoleConfig' });
export type ConsoleConfig = z.output<typeof consoleConfigSchema>;
