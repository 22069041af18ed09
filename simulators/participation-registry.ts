/**
 * The participation registry of the program management office: who has received the program
 * before, across programs and years (the Kartu Prakerja semi-social-assistance scheme of
 * 2020–2022, the 2023 scheme). Seeded from the synthetic population and extended by records a
 * test adds; also the /participation-registry and /sim/participations routes.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ATTRIBUTE_SALTS, pick, POPULATION_REFERENCE_DATE, type SyntheticPopulation } from './population';
import { parseRequestPart } from './request-validation';
import { nikSchema } from './residents';
import { hashFraction } from './seeded-hash';
import { memoryOnlyJournal, type StateJournal } from './state-journal';

const pastParticipationSchema = z
  .object({
    /** e.g. PRAKERJA_SEMI_BANSOS */
    program: z.string().trim().min(1).max(100),
    year: z.number().int().min(2000).max(2100),
    wave: z.number().int().min(1).max(1000),
  })
  .strict();

export type PastParticipation = z.infer<typeof pastParticipationSchema>;

const participationRecordSchema = pastParticipationSchema.extend({ nik: nikSchema }).strict();
type ParticipationRecord = z.infer<typeof participationRecordSchema>;

/** One line of participations.jsonl: a record added through POST /sim/participations. */
export const participationJournalEntrySchema = z.object({ type: z.literal('participation'), participation: participationRecordSchema }).strict();

export type ParticipationJournalEntry = z.infer<typeof participationJournalEntrySchema>;

/** The programs a seeded resident may have received, with the waves each year had (about). */
export const PAST_PROGRAMS = [
  { program: 'PRAKERJA_SEMI_BANSOS', year: 2020, waves: 11 },
  { program: 'PRAKERJA_SEMI_BANSOS', year: 2021, waves: 22 },
  { program: 'PRAKERJA_SEMI_BANSOS', year: 2022, waves: 48 },
  { program: 'PRAKERJA_SKEMA_NORMAL', year: 2023, waves: 62 },
] as const;

/** Share of the residents who were adults on the reference date with one past participation. */
const PAST_PARTICIPATION_SHARE = 0.02;
const PROGRAM_MINIMUM_AGE = 18;
/** Born on or before this day, a resident was old enough for every past program. */
const ADULT_ON_REFERENCE_DATE_BORN_BY = `${Number(POPULATION_REFERENCE_DATE.slice(0, 4)) - PROGRAM_MINIMUM_AGE}${POPULATION_REFERENCE_DATE.slice(4)}`;

export class ParticipationRegistry {
  private readonly explicitRecords = new Map<string, PastParticipation[]>();

  constructor(
    private readonly population: SyntheticPopulation,
    private readonly journal: StateJournal<ParticipationJournalEntry> = memoryOnlyJournal(),
  ) {}

  /** Replays what the journal held at start. */
  restore(entries: Iterable<ParticipationJournalEntry>): void {
    for (const entry of entries) this.remember(entry.participation);
  }

  /** Every past participation of the NIK, the seeded one first; [] when it has none. */
  participationsOf(nik: string): PastParticipation[] {
    const seeded = this.seededParticipation(nik);
    return [...(seeded ? [seeded] : []), ...(this.explicitRecords.get(nik) ?? [])];
  }

  add(record: ParticipationRecord): void {
    this.journal.append({ type: 'participation', participation: record });
    this.remember(record);
  }

  reset(): void {
    this.journal.clear();
    this.explicitRecords.clear();
  }

  private remember({ nik, ...participation }: ParticipationRecord): void {
    this.explicitRecords.set(nik, [...(this.explicitRecords.get(nik) ?? []), participation]);
  }

  /** A pure function of (seed, resident index), like every other attribute of the population. */
  private seededParticipation(nik: string): PastParticipation | undefined {
    const index = this.population.indexOfNik(nik);
    if (index === undefined) return undefined;
    const { seed } = this.population;
    if (hashFraction(seed, index, ATTRIBUTE_SALTS.pastParticipation) >= PAST_PARTICIPATION_SHARE) return undefined;
    if (this.population.residentAt(index).dateOfBirth > ADULT_ON_REFERENCE_DATE_BORN_BY) return undefined;
    const { program, year, waves } = pick(PAST_PROGRAMS, hashFraction(seed, index, ATTRIBUTE_SALTS.pastParticipationProgram));
    return { program, year, wave: 1 + Math.floor(hashFraction(seed, index, ATTRIBUTE_SALTS.pastParticipationWave) * waves) };
  }
}

const nikParamsSchema = z.object({ nik: nikSchema });

/** Mounted at /participation-registry, behind its fault gate. A NIK the registry does not know has no participations. */
export function createParticipationRegistryRouter(registry: ParticipationRegistry): Router {
  const router = Router();
  router.get('/v1/participations/:nik', (req, res) => {
    const { nik } = parseRequestPart(nikParamsSchema, req.params, 'params');
    res.json({ nik, participations: registry.participationsOf(nik) });
  });
  return router;
}

/** Mounted at /sim/participations: records a past participation, beside any the NIK already has. */
export function createParticipationsControlRouter(registry: ParticipationRegistry): Router {
  const router = Router();
  router.post('/', (req, res) => {
    const record = parseRequestPart(participationRecordSchema, req.body, 'body');
    registry.add(record);
    res.status(201).json(record);
  });
  return router;
}
