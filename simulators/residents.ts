/**
 * Who the government systems know: the synthetic population, overridden or extended by
 * residents a test adds explicitly. Also the /sim/residents routes.
 */
import { Router } from 'express';
import { z } from 'zod';
import { provinceNameForNik } from '../lib/indonesia-provinces';
import { SimulatorHttpError } from './http-errors';
import { SOCIAL_AID_PROGRAMS, type Resident, type SyntheticPopulation } from './population';
import { parseRequestPart } from './request-validation';
import { memoryOnlyJournal, type StateJournal } from './state-journal';

export const nikSchema = z.string().regex(/^\d{16}$/, 'a NIK is 16 digits');

/** One line of residents.jsonl: a resident added or replaced through POST /sim/residents. */
export const residentJournalEntrySchema = z
  .object({
    type: z.literal('resident'),
    resident: z
      .object({
        nik: nikSchema,
        fullName: z.string(),
        dateOfBirth: z.string(),
        gender: z.enum(['M', 'F']),
        province: z.string(),
        isStudent: z.boolean(),
        socialAid: z.array(z.string()),
        onLaidOffList: z.boolean(),
        deceased: z.boolean(),
      })
      .strict(),
  })
  .strict();

export type ResidentJournalEntry = z.infer<typeof residentJournalEntrySchema>;

export class ResidentRegistry {
  private readonly explicitResidents = new Map<string, Resident>();

  constructor(
    readonly population: SyntheticPopulation,
    private readonly journal: StateJournal<ResidentJournalEntry> = memoryOnlyJournal(),
  ) {}

  /** Replays what the journal held at start. */
  restore(entries: Iterable<ResidentJournalEntry>): void {
    for (const entry of entries) {
      this.explicitResidents.set(entry.resident.nik, entry.resident);
    }
  }

  /** The resident with this NIK, explicit ones first; undefined when nobody has it. */
  find(nik: string): Resident | undefined {
    return this.explicitResidents.get(nik) ?? this.population.residentByNik(nik);
  }

  addOrReplace(resident: Resident): void {
    this.journal.append({ type: 'resident', resident });
    this.explicitResidents.set(resident.nik, resident);
  }

  /** Generated residents by index, as the government systems currently see them. */
  sample(offset: number, count: number): Resident[] {
    const end = Math.min(offset + count, this.population.size);
    const residents: Resident[] = [];
    for (let index = offset; index < end; index += 1) {
      const generated = this.population.residentAt(index);
      residents.push(this.explicitResidents.get(generated.nik) ?? generated);
    }
    return residents;
  }

  reset(): void {
    this.journal.clear();
    this.explicitResidents.clear();
  }
}

const explicitResidentSchema = z
  .object({
    nik: nikSchema.refine((nik) => provinceNameForNik(nik) !== undefined, 'the first two digits must be a province code'),
    fullName: z.string().trim().min(1).max(200),
    dateOfBirth: z.iso.date(),
    gender: z.enum(['M', 'F']),
    isStudent: z.boolean(),
    socialAid: z.array(z.string().min(1).max(20)).max(SOCIAL_AID_PROGRAMS.length + 5),
    onLaidOffList: z.boolean(),
    deceased: z.boolean().optional(),
  })
  .strict();

const MAX_SAMPLE_COUNT = 10_000;

const sampleQuerySchema = z.object({
  count: z.coerce.number().int().min(1).max(MAX_SAMPLE_COUNT).default(10),
  offset: z.coerce.number().int().min(0).default(0),
});

const nikParamsSchema = z.object({ nik: nikSchema });

/** Mounted at /sim/residents. */
export function createResidentsControlRouter(registry: ResidentRegistry): Router {
  const router = Router();
  router.post('/', (req, res) => {
    const body = parseRequestPart(explicitResidentSchema, req.body, 'body');
    const resident: Resident = {
      ...body,
      // Safe: the schema only accepts NIKs that start with a province code.
      province: provinceNameForNik(body.nik) ?? '',
      deceased: body.deceased ?? false,
    };
    registry.addOrReplace(resident);
    res.status(201).json(resident);
  });
  router.get('/sample', (req, res) => {
    const { count, offset } = parseRequestPart(sampleQuerySchema, req.query, 'query');
    res.json(registry.sample(offset, count));
  });
  router.get('/:nik', (req, res) => {
    const { nik } = parseRequestPart(nikParamsSchema, req.params, 'params');
    const resident = registry.find(nik);
    if (resident === undefined) {
      throw new SimulatorHttpError(404, 'NOT_FOUND', 'No resident has that NIK');
    }
    res.json(resident);
  });
  return router;
}
