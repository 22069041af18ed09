// The impact report, read defensively: the simulator is another branch's work and its report may
// grow or change, so every part is optional and a part of the wrong shape is dropped, not fatal.
import { z } from 'zod';

const count = z.number().int().nonnegative();
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const list = <T extends z.ZodType>(item: T) => z.array(z.unknown()).catch([]).transform((items) => items.flatMap((entry) => {
  const parsed = item.safeParse(entry);
  return parsed.success ? [parsed.data as z.output<T>] : [];
}));

const decisionSchema = z.looseObject({ outcome: optional(z.string()), priority: optional(z.number()), reasonCodes: optional(z.array(z.string())) });
const ruleSetReference = z.looseObject({ id: optional(z.string()), name: z.string(), version: z.number() });

export const simulationReportSchema = z.looseObject({
  candidate: optional(ruleSetReference),
  baseline: optional(ruleSetReference.nullable()),
  evaluationDate: optional(z.string()),
  participants: optional(count),
  unchanged: optional(count),
  changed: optional(
    z.looseObject({
      total: optional(count),
      becameEligible: optional(count),
      becameIneligible: optional(count),
      priorityChanged: optional(count),
      reasonsChanged: optional(count),
    }),
  ),
  byReason: list(z.looseObject({ code: z.string(), newlyFailing: count.catch(0), noLongerFailing: count.catch(0) })),
  byProvince: list(
    z.looseObject({ province: z.string(), participants: optional(count), changed: optional(count), becameEligible: count.catch(0), becameIneligible: count.catch(0) }),
  ),
  committedMoney: optional(z.looseObject({ perParticipant: z.number(), newlyCommitted: z.number(), released: z.number(), netChange: z.number() })),
  examples: list(
    z.looseObject({
      participantId: z.string(),
      change: optional(z.string()),
      before: optional(decisionSchema.nullable()),
      after: optional(decisionSchema),
      flipped: optional(z.looseObject({ newlyFailing: z.array(z.string()), noLongerFailing: z.array(z.string()) })),
    }),
  ),
  durationMs: optional(z.number()),
});
export type SimulationReport = z.output<typeof simulationReportSchema>;

/** Undefined when the answer is not an object at all. */
export function readSimulationReport(body: unknown): SimulationReport | undefined {
  const parsed = simulationReportSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}
