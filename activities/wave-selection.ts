// A wave's life after creation, as the selection workflow drives it: opening and closing on
// schedule, the lottery seed, the ranking (one SQL statement over every applicant, so millions
// never pass through Node or the workflow), and telling each applicant's journey the outcome,
// page by page at a bounded rate. Every step is idempotent: a crashed worker's retry finds the
// recorded seed, the recorded ranking and the fan-out's cursor, and carries on from there.
import { randomBytes } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Prisma, PrismaClient } from '../lib/database';
import type { WaveState } from '../lib/wave-state';
import { participantWorkflowId, waveOutcomeSignal } from '../workflows/participant-journey.definitions';
import type { FanOutSettings } from '../workflows/wave-selection.definitions';

type Transaction = Prisma.TransactionClient;

/** Heartbeats, behind an interface so the benchmark can run the same code outside a worker. */
export interface ActivityProgress {
  heartbeat(details?: unknown): void;
  /** The details of the last heartbeat of an earlier attempt of this activity. */
  lastHeartbeat(): unknown;
}

export const temporalActivityProgress: ActivityProgress = {
  heartbeat: (details) => Context.current().heartbeat(details),
  lastHeartbeat: () => Context.current().info.heartbeatDetails,
};

export interface WaveSelectionActivityDependencies {
  prisma: PrismaClient;
  temporal: Client;
  fanOut: FanOutSettings;
  progress?: ActivityProgress;
}

export interface WaveSchedule {
  state: WaveState;
  opensAt: string;
  closesAt: string;
}

export interface RankingSummary {
  applicants: number;
  selected: number;
  withdrawn: number;
  cutoffPriority: number | null;
  rankedAt: string;
}

export interface TellRequest {
  waveId: string;
  afterRank: number;
  pageSize: number;
  signalsPerSecond: number;
  signalConcurrency: number;
}

export interface TellResult {
  lastRank: number;
  told: number;
  journeysEnded: number;
  done: boolean;
}

const HEARTBEAT_INTERVAL_MS = 5_000;
/** The ranking sorts every applicant once; in memory that takes seconds, spilled to disk far longer. */
const RANKING_WORK_MEM = '256MB';
/** A ranking of millions takes minutes; a transaction left hanging by a dead worker must not. */
const RANKING_TRANSACTION_TIMEOUT_MS = 60 * 60_000;

const waveNotFound = (waveId: string) => ApplicationFailure.nonRetryable(`Wave ${waveId} does not exist`, 'WAVE_NOT_FOUND');

/** Records that a wave entered a state; each state is entered once, so a retry adds nothing. */
async function recordTransition(tx: Transaction | PrismaClient, waveId: string, fromState: WaveState, toState: WaveState, actor: string, at: Date) {
  await tx.waveStateTransition.createMany({ data: [{ waveId, fromState, toState, actor, at }], skipDuplicates: true });
}

async function lockWave(tx: Transaction, waveId: string) {
  const [wave] = await tx.$queryRaw<Array<{ state: WaveState; selectionSeed: string | null; quota: number; rankedAt: Date | null; signalledThroughRank: number }>>`
    SELECT state::text AS state, "selectionSeed", quota, "rankedAt", "signalledThroughRank" FROM "Wave" WHERE id = ${waveId}::uuid FOR UPDATE`;
  if (!wave) throw waveNotFound(waveId);
  return wave;
}

/** Runs `work` while heartbeating every few seconds: one long SQL statement cannot heartbeat itself. */
async function withHeartbeat<T>(progress: ActivityProgress, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => progress.heartbeat(), HEARTBEAT_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Spreads `count` units over time so that, since the pacer was made, at most `perSecond` go out each second. */
function createPacer(perSecond: number, whileWaiting: () => void) {
  const startedAt = Date.now();
  let admitted = 0;
  return async (count: number) => {
    admitted += count;
    for (;;) {
      const wait = startedAt + (admitted * 1000) / perSecond - Date.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
      whileWaiting();
    }
  };
}

const utc = (at: Date) => at.toISOString();

export function createWaveSelectionActivities(deps: WaveSelectionActivityDependencies) {
  const { prisma } = deps;
  const progress = deps.progress ?? temporalActivityProgress;

  return {
    async loadWaveSchedule({ waveId }: { waveId: string }): Promise<WaveSchedule | null> {
      const wave = await prisma.wave.findUnique({ where: { id: waveId }, select: { state: true, opensAt: true, closesAt: true } });
      return wave && { state: wave.state, opensAt: wave.opensAt.toISOString(), closesAt: wave.closesAt.toISOString() };
    },

    /** SCHEDULED → OPEN once opensAt has passed (the clock already lets applications in; this records it). */
    async recordWaveOpened({ waveId }: { waveId: string }): Promise<void> {
      // Conditional, so an early close that commits first is never overwritten with OPEN.
      const now = new Date();
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.wave.updateMany({ where: { id: waveId, state: 'SCHEDULED', opensAt: { lte: now } }, data: { state: 'OPEN' } });
        if (count === 0) return;
        const { opensAt } = await tx.wave.findUniqueOrThrow({ where: { id: waveId }, select: { opensAt: true } });
        await recordTransition(tx, waveId, 'SCHEDULED', 'OPEN', 'schedule', opensAt);
      });
    },

    /**
     * OPEN → CLOSED at closesAt. Under the wave's row lock, so it waits for a running application
     * and a running schedule change; `closed: false` when closesAt moved later meanwhile.
     */
    async closeWaveOnSchedule({ waveId }: { waveId: string }): Promise<{ closed: boolean }> {
      return prisma.$transaction(async (tx) => {
        const wave = await lockWave(tx, waveId);
        if (wave.state !== 'SCHEDULED' && wave.state !== 'OPEN') return { closed: true };
        const { closesAt } = await tx.wave.findUniqueOrThrow({ where: { id: waveId }, select: { closesAt: true } });
        if (closesAt > new Date()) return { closed: false };
        await tx.wave.update({ where: { id: waveId }, data: { state: 'CLOSED', closedAt: closesAt, closedBy: 'schedule' } });
        await recordTransition(tx, waveId, wave.state, 'CLOSED', 'schedule', closesAt);
        return { closed: true };
      });
    },

    /**
     * CLOSED → SELECTING, drawing the lottery seed if none is recorded yet. The seed is stored
     * before any ranking, so every retry and every later audit uses the same one. Also hands the
     * workflow this worker's fan-out settings and how far an earlier run already got.
     */
    async beginWaveSelection({ waveId }: { waveId: string }): Promise<{ signalledThroughRank: number; fanOut: FanOutSettings }> {
      const signalledThroughRank = await prisma.$transaction(async (tx) => {
        const wave = await lockWave(tx, waveId);
        if (wave.state === 'SCHEDULED' || wave.state === 'OPEN') {
          throw ApplicationFailure.nonRetryable(`Wave ${waveId} is not closed`, 'WAVE_NOT_CLOSED');
        }
        const selectionSeed = wave.selectionSeed ?? randomBytes(32).toString('hex');
        if (wave.state === 'CLOSED') {
          await tx.wave.update({ where: { id: waveId }, data: { state: 'SELECTING', selectionSeed } });
          await recordTransition(tx, waveId, 'CLOSED', 'SELECTING', 'selection', new Date());
        } else if (!wave.selectionSeed) {
          await tx.wave.update({ where: { id: waveId }, data: { selectionSeed } });
        }
        return wave.signalledThroughRank;
      });
      return { signalledThroughRank, fanOut: deps.fanOut };
    },

    /**
     * Ranks every applicant in one statement: priority points first, then the lottery ticket
     * (SHA-256 of seed and participant id, see lib/wave-lottery.ts), selects up to the quota,
     * and records the summary on the wave in the same transaction. Applicants whose journey has
     * ended by now are WITHDRAWN and take no place. Done once: a retry finds rankedAt set.
     */
    async rankWaveApplicants({ waveId }: { waveId: string }): Promise<RankingSummary> {
      return withHeartbeat(progress, () =>
        prisma.$transaction(
          async (tx) => {
            const wave = await lockWave(tx, waveId);
            if (!wave.rankedAt) {
              if (wave.state !== 'SELECTING' || !wave.selectionSeed) {
                throw ApplicationFailure.nonRetryable(`Wave ${waveId} has no recorded seed to rank with`, 'WAVE_NOT_SELECTING');
              }
              await rankInDatabase(tx, waveId, wave.selectionSeed, wave.quota, new Date());
            }
            const ranked = await tx.wave.findUniqueOrThrow({ where: { id: waveId } });
            const [counts] = await tx.$queryRaw<Array<{ withdrawn: number }>>`
              SELECT count(*) FILTER (WHERE status = 'WITHDRAWN')::int AS withdrawn FROM "WaveApplication" WHERE "waveId" = ${waveId}::uuid`;
            return {
              applicants: ranked.applicantCount ?? 0,
              selected: ranked.selectedCount ?? 0,
              withdrawn: counts?.withdrawn ?? 0,
              cutoffPriority: ranked.cutoffPriority,
              rankedAt: ranked.rankedAt!.toISOString(),
            };
          },
          { timeout: RANKING_TRANSACTION_TIMEOUT_MS, maxWait: 60_000 },
        ),
      );
    },

    /**
     * Tells one page of ranked applicants (keyset by rank) their outcome, with at most
     * `signalConcurrency` signals in flight and `signalsPerSecond` overall. Heartbeats the last
     * rank told, so a retry after a crash resumes there; a journey told twice ignores the second.
     */
    async tellWaveApplicants(request: TellRequest): Promise<TellResult> {
      const { waveId } = request;
      const earlier = progress.lastHeartbeat() as { lastRank: number; told: number; journeysEnded: number } | undefined;
      const resumed = earlier && earlier.lastRank > request.afterRank ? earlier : undefined;
      let lastRank = resumed?.lastRank ?? request.afterRank;
      let told = resumed?.told ?? 0;
      let journeysEnded = resumed?.journeysEnded ?? 0;
      const page = await prisma.waveApplication.findMany({
        where: { waveId, rank: { gt: lastRank } },
        orderBy: { rank: 'asc' },
        take: request.pageSize,
        select: { rank: true, participantId: true, status: true },
      });
      const pace = createPacer(request.signalsPerSecond, () => progress.heartbeat({ lastRank, told, journeysEnded }));

      for (let start = 0; start < page.length; start += request.signalConcurrency) {
        const chunk = page.slice(start, start + request.signalConcurrency);
        await pace(chunk.length);
        const ended = await Promise.all(
          chunk.map(async ({ participantId, status }) => {
            try {
              await deps.temporal.workflow.getHandle(participantWorkflowId(participantId)).signal(waveOutcomeSignal, { waveId, selected: status === 'SELECTED' });
              return 0;
            } catch (error) {
              // A journey that has ended (withdrawn, cancelled) has nobody left to tell.
              if (error instanceof WorkflowNotFoundError) return 1;
              throw error;
            }
          }),
        );
        lastRank = chunk.at(-1)!.rank!;
        told += chunk.length;
        journeysEnded += ended.reduce<number>((sum, n) => sum + n, 0);
        progress.heartbeat({ lastRank, told, journeysEnded });
      }

      if (page.length > 0) {
        // Counted once even when a retry re-reports this page: only a cursor that moves adds.
        await prisma.$executeRaw`
          UPDATE "Wave" SET
            "journeysEnded" = "journeysEnded" + CASE WHEN "signalledThroughRank" < ${lastRank}::int THEN ${journeysEnded}::int ELSE 0 END,
            "signalledThroughRank" = GREATEST("signalledThroughRank", ${lastRank}::int)
          WHERE id = ${waveId}::uuid`;
      }
      return { lastRank, told, journeysEnded, done: page.length < request.pageSize };
    },

    /** SELECTING → SELECTED once every applicant was told. */
    async completeWaveSelection({ waveId }: { waveId: string }): Promise<{ applicants: number; selected: number; signalled: number }> {
      return prisma.$transaction(async (tx) => {
        const wave = await lockWave(tx, waveId);
        const at = new Date();
        if (wave.state === 'SELECTING') {
          await tx.wave.update({ where: { id: waveId }, data: { state: 'SELECTED', selectionCompletedAt: at } });
          await recordTransition(tx, waveId, 'SELECTING', 'SELECTED', 'selection', at);
        }
        const done = await tx.wave.findUniqueOrThrow({ where: { id: waveId } });
        return { applicants: done.applicantCount ?? 0, selected: done.selectedCount ?? 0, signalled: done.signalledThroughRank };
      });
    },
  };
}

/**
 * The ranking itself, in PostgreSQL. Tickets are compared in the "C" collation (byte order), as
 * lib/wave-lottery.ts compares them, so an auditor's recomputation gives the same order.
 */
async function rankInDatabase(tx: Transaction, waveId: string, seed: string, quota: number, decidedAt: Date): Promise<void> {
  const at = utc(decidedAt);
  await tx.$executeRawUnsafe(`SET LOCAL work_mem = '${RANKING_WORK_MEM}'`);
  await tx.$executeRaw`
    UPDATE "WaveApplication" a SET status = 'WITHDRAWN', "decidedAt" = ${at}::timestamptz AT TIME ZONE 'UTC'
    FROM "Participant" p
    WHERE a."waveId" = ${waveId}::uuid AND a.status = 'APPLIED' AND p.id = a."participantId" AND p."exitedAt" IS NOT NULL`;
  await tx.$executeRaw`
    WITH ticketed AS (
      SELECT id, "priorityPoints", "participantId"::text COLLATE "C" AS participant,
             encode(sha256(convert_to(${seed}::text || ':' || "participantId"::text, 'UTF8')), 'hex') COLLATE "C" AS ticket
      FROM "WaveApplication"
      WHERE "waveId" = ${waveId}::uuid AND status <> 'WITHDRAWN'
    ), ranked AS (
      SELECT id, ticket, row_number() OVER (ORDER BY "priorityPoints" DESC, ticket, participant) AS position
      FROM ticketed
    )
    UPDATE "WaveApplication" a SET
      "lotteryTicket" = r.ticket,
      rank = r.position,
      status = (CASE WHEN r.position <= ${quota}::int THEN 'SELECTED' ELSE 'NOT_SELECTED' END)::"ApplicationStatus",
      "decidedAt" = ${at}::timestamptz AT TIME ZONE 'UTC'
    FROM ranked r
    WHERE a.id = r.id`;
  // The funnel counts the selected from the projection, recorded with the decision itself.
  await tx.$executeRaw`
    UPDATE "Participant" p SET "selectedAt" = ${at}::timestamptz AT TIME ZONE 'UTC'
    FROM "WaveApplication" a
    WHERE a."waveId" = ${waveId}::uuid AND a.status = 'SELECTED' AND p.id = a."participantId" AND p."selectedAt" IS NULL`;
  await tx.$executeRaw`
    UPDATE "Wave" w SET
      "rankedAt" = ${at}::timestamptz AT TIME ZONE 'UTC',
      "applicantCount" = s.applicants,
      "selectedCount" = s.selected,
      "cutoffPriority" = s.cutoff
    FROM (
      SELECT count(rank)::int AS applicants,
             count(*) FILTER (WHERE status = 'SELECTED')::int AS selected,
             min("priorityPoints") FILTER (WHERE status = 'SELECTED') AS cutoff
      FROM "WaveApplication" WHERE "waveId" = ${waveId}::uuid
    ) s
    WHERE w.id = ${waveId}::uuid`;
}
