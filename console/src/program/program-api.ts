// The program's statistics and wave selection, read defensively: these endpoints come from the
// waves branch (GET /v1/stats/funnel, GET /v1/waves/:id/selection). Until it is merged they answer
// 404 and the screens show them as not available.
import { z } from 'zod';

const optionalCount = z.number().int().optional().catch(undefined);

export const funnelSchema = z.looseObject({
  wave: z.looseObject({ id: z.string(), number: z.number() }).nullable().optional().catch(null),
  province: z.string().nullable().optional().catch(null),
  asOf: z.string().optional().catch(undefined),
  steps: z.array(
    z.looseObject({
      step: z.string(),
      people: z.number(),
      shareOfRegistered: z.number().nullable().optional().catch(null),
      payments: optionalCount,
      rupiah: optionalCount,
    }),
  ),
});
export type Funnel = z.output<typeof funnelSchema>;

export const waveSelectionSchema = z.looseObject({
  applicants: optionalCount,
  selected: optionalCount,
  notSelected: optionalCount,
  withdrawn: optionalCount,
  cutoffPriority: z.number().nullable().optional().catch(null),
  rankedAt: z.string().nullable().optional().catch(null),
  signalled: optionalCount,
});
export type WaveSelection = z.output<typeof waveSelectionSchema>;
