// Counts the funnel in SQL over the participant projection (milestone timestamps), the wave
// applications and the settled ledger: a handful of aggregate queries, whatever the number of
// participants. The cohorts are described in FUNNEL_COHORT_DESCRIPTION.
import { Prisma, type PrismaClient } from '../../lib/database';
import { NotFoundError } from '../errors';
import { FUNNEL_STEPS, type AppealCounts, type FunnelQuery, type FunnelStep, type FunnelView } from './funnel.schema';

export interface FunnelCounts {
  people: Record<FunnelStep, number>;
  incentives: { payments: number; rupiah: number };
  surveys: { payments: number; rupiah: number };
}

interface ParticipantRow {
  group: string | null;
  registered: number;
  emailVerified: number;
  nikVerified: number;
  eligible: number;
  applied: number;
  selected: number;
  trainingPurchased: number;
  trainingCompleted: number;
  completed: number;
}

interface LedgerRow {
  group: string | null;
  incentivesPaid: number;
  incentivePayments: number;
  incentiveRupiah: bigint | number;
  surveysDone: number;
  surveyPayments: number;
  surveyRupiah: bigint | number;
}

interface WaveWindow {
  id: string;
  number: number;
  opensAt: Date;
  closesAt: Date;
  closedAt: Date | null;
}

const emptyCounts = (): FunnelCounts => ({
  people: Object.fromEntries(FUNNEL_STEPS.map((step) => [step, 0])) as Record<FunnelStep, number>,
  incentives: { payments: 0, rupiah: 0 },
  surveys: { payments: 0, rupiah: 0 },
});

export function shareOf(people: number, registered: number): number | null {
  return registered === 0 ? null : Math.round((people / registered) * 10_000) / 100;
}

export class FunnelService {
  constructor(private readonly deps: { prisma: PrismaClient; now: () => Date }) {}

  async funnel(query: FunnelQuery): Promise<FunnelView> {
    const wave = query.wave === undefined ? undefined : await this.findWave(query.wave);
    const [byGroup, appeals] = await Promise.all([wave ? this.countWave(wave, query.province) : this.countOverall(query.province), this.countAppeals(wave, query.province)]);
    const counts = byGroup.get(query.province ?? null) ?? emptyCounts();
    return {
      wave: wave ? { id: wave.id, number: wave.number } : null,
      province: query.province ?? null,
      asOf: this.deps.now().toISOString(),
      steps: FUNNEL_STEPS.map((step) => ({
        step,
        people: counts.people[step],
        shareOfRegistered: shareOf(counts.people[step], counts.people.registered),
        ...(step === 'incentivesPaid' ? counts.incentives : {}),
        ...(step === 'surveysDone' ? counts.surveys : {}),
      })),
      appeals,
    };
  }

  /** The appeals of the funnel's people: overall, or a wave's (registered while it was open, or applied to it). */
  private async countAppeals(wave: WaveWindow | undefined, province: string | undefined): Promise<AppealCounts> {
    const inProvince = province === undefined ? Prisma.sql`TRUE` : Prisma.sql`p.province = ${province}`;
    const inWave = wave
      ? Prisma.sql`((p."createdAt" >= ${wave.opensAt.toISOString()}::timestamptz AT TIME ZONE 'UTC'
            AND p."createdAt" < ${(wave.closedAt ?? wave.closesAt).toISOString()}::timestamptz AT TIME ZONE 'UTC')
          OR EXISTS (SELECT 1 FROM "WaveApplication" w WHERE w."participantId" = p.id AND w."waveId" = ${wave.id}::uuid))`
      : Prisma.sql`TRUE`;
    const [row] = await this.deps.prisma.$queryRaw<AppealCounts[]>`
      SELECT count(*)::int AS opened,
        count(*) FILTER (WHERE a.status = 'OPEN')::int AS open,
        count(*) FILTER (WHERE a.status = 'UPHELD')::int AS upheld,
        count(*) FILTER (WHERE a.status = 'OVERTURNED')::int AS overturned,
        count(*) FILTER (WHERE a.result = 'REINSTATED')::int AS reinstated
      FROM "Appeal" a JOIN "Participant" p ON p.id = a."participantId"
      WHERE ${inProvince} AND ${inWave}`;
    return row ?? { opened: 0, open: 0, upheld: 0, overturned: 0, reinstated: 0 };
  }

  /** The whole program's funnel per province (for /metrics). */
  async countByProvince(): Promise<Map<string | null, FunnelCounts>> {
    return this.countOverall(undefined, true);
  }

  /** Each wave's funnel, by wave number (for /metrics). */
  async countByWave(): Promise<Map<number, FunnelCounts>> {
    const waves = await this.deps.prisma.wave.findMany({ select: { id: true, number: true, opensAt: true, closesAt: true, closedAt: true }, orderBy: { number: 'asc' } });
    const byWave = new Map<number, FunnelCounts>();
    for (const wave of waves) byWave.set(wave.number, (await this.countWave(wave, undefined)).get(null) ?? emptyCounts());
    return byWave;
  }

  private async countOverall(province: string | undefined, groupByProvince = false): Promise<Map<string | null, FunnelCounts>> {
    const { prisma } = this.deps;
    const group = groupByProvince ? Prisma.sql`p.province` : Prisma.sql`NULL::text`;
    const groupBy = groupByProvince ? Prisma.sql`GROUP BY p.province` : Prisma.empty;
    const inProvince = province === undefined ? Prisma.sql`TRUE` : Prisma.sql`p.province = ${province}`;
    const [participants, ledger] = await Promise.all([
      prisma.$queryRaw<ParticipantRow[]>`
        SELECT ${group} AS "group",
          count(*)::int AS registered,
          count(p."emailVerifiedAt")::int AS "emailVerified",
          count(p."nikVerifiedAt")::int AS "nikVerified",
          count(p."eligibleAt")::int AS eligible,
          count(p."appliedAt")::int AS applied,
          count(p."selectedAt")::int AS selected,
          count(p."trainingPurchasedAt")::int AS "trainingPurchased",
          count(p."trainingCompletedAt")::int AS "trainingCompleted",
          count(p."completedAt")::int AS completed
        FROM "Participant" p
        WHERE ${inProvince}
        ${groupBy}`,
      prisma.$queryRaw<LedgerRow[]>`
        SELECT ${group} AS "group", ${ledgerColumns}
        FROM "LedgerEntry" l JOIN "Participant" p ON p.id = l."participantId"
        WHERE l.status = 'SETTLED' AND l.kind IN ('INCENTIVE', 'SURVEY') AND ${inProvince}
        ${groupBy}`,
    ]);
    return combine(participants, ledger, province ?? null);
  }

  private async countWave(wave: WaveWindow, province: string | undefined): Promise<Map<string | null, FunnelCounts>> {
    const { prisma } = this.deps;
    const inProvince = province === undefined ? Prisma.sql`TRUE` : Prisma.sql`p.province = ${province}`;
    const windowEnd = wave.closedAt ?? wave.closesAt;
    const [registrations, applications, ledger] = await Promise.all([
      prisma.$queryRaw<Array<Pick<ParticipantRow, 'registered' | 'emailVerified' | 'nikVerified' | 'eligible'>>>`
        SELECT count(*)::int AS registered,
          count(p."emailVerifiedAt")::int AS "emailVerified",
          count(p."nikVerifiedAt")::int AS "nikVerified",
          count(p."eligibleAt")::int AS eligible
        FROM "Participant" p
        WHERE p."createdAt" >= ${wave.opensAt.toISOString()}::timestamptz AT TIME ZONE 'UTC'
          AND p."createdAt" < ${windowEnd.toISOString()}::timestamptz AT TIME ZONE 'UTC'
          AND ${inProvince}`,
      prisma.$queryRaw<Array<Pick<ParticipantRow, 'applied' | 'selected' | 'trainingPurchased' | 'trainingCompleted' | 'completed'>>>`
        SELECT count(*)::int AS applied,
          count(*) FILTER (WHERE a.status = 'SELECTED')::int AS selected,
          count(p."trainingPurchasedAt") FILTER (WHERE a.status = 'SELECTED')::int AS "trainingPurchased",
          count(p."trainingCompletedAt") FILTER (WHERE a.status = 'SELECTED')::int AS "trainingCompleted",
          count(p."completedAt") FILTER (WHERE a.status = 'SELECTED')::int AS completed
        FROM "WaveApplication" a JOIN "Participant" p ON p.id = a."participantId"
        WHERE a."waveId" = ${wave.id}::uuid AND ${inProvince}`,
      prisma.$queryRaw<LedgerRow[]>`
        SELECT NULL::text AS "group", ${ledgerColumns}
        FROM "LedgerEntry" l
          JOIN "WaveApplication" a ON a."participantId" = l."participantId" AND a."waveId" = ${wave.id}::uuid AND a.status = 'SELECTED'
          JOIN "Participant" p ON p.id = l."participantId"
        WHERE l.status = 'SETTLED' AND l.kind IN ('INCENTIVE', 'SURVEY') AND ${inProvince}`,
    ]);
    const participantRow: ParticipantRow = { group: null, ...registrations[0]!, ...applications[0]! };
    return combine([participantRow], ledger, province ?? null);
  }

  private async findWave(number: number): Promise<WaveWindow> {
    const wave = await this.deps.prisma.wave.findUnique({ where: { number }, select: { id: true, number: true, opensAt: true, closesAt: true, closedAt: true } });
    if (!wave) throw new NotFoundError('WAVE_NOT_FOUND', `No wave number ${number}`);
    return wave;
  }
}

const ledgerColumns = Prisma.sql`
  count(DISTINCT l."participantId") FILTER (WHERE l.kind = 'INCENTIVE')::int AS "incentivesPaid",
  count(*) FILTER (WHERE l.kind = 'INCENTIVE')::int AS "incentivePayments",
  coalesce(sum(l.amount) FILTER (WHERE l.kind = 'INCENTIVE'), 0)::bigint AS "incentiveRupiah",
  count(DISTINCT l."participantId") FILTER (WHERE l.kind = 'SURVEY')::int AS "surveysDone",
  count(*) FILTER (WHERE l.kind = 'SURVEY')::int AS "surveyPayments",
  coalesce(sum(l.amount) FILTER (WHERE l.kind = 'SURVEY'), 0)::bigint AS "surveyRupiah"`;

/** Joins participant and ledger rows by group; a filtered count (no grouping) lands under `filterKey`. */
function combine(participants: ParticipantRow[], ledger: LedgerRow[], filterKey: string | null): Map<string | null, FunnelCounts> {
  const byGroup = new Map<string | null, FunnelCounts>();
  const countsOf = (group: string | null) => {
    const key = group ?? filterKey;
    let counts = byGroup.get(key);
    if (!counts) byGroup.set(key, (counts = emptyCounts()));
    return counts;
  };
  for (const { group, ...people } of participants) Object.assign(countsOf(group).people, people);
  for (const row of ledger) {
    const counts = countsOf(row.group);
    counts.people.incentivesPaid = row.incentivesPaid;
    counts.people.surveysDone = row.surveysDone;
    counts.incentives = { payments: row.incentivePayments, rupiah: Number(row.incentiveRupiah) };
    counts.surveys = { payments: row.surveyPayments, rupiah: Number(row.surveyRupiah) };
  }
  return byGroup;
}
