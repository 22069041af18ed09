// Prometheus metrics of the API process: the funnel (by province, and by wave) counted from the
// database on scrape with a short cache, the dependencies' health, the registration outbox's
// backlog, the last reconciled days' totals, request durations, and Node's own process figures (summed over the API's processes
// when it runs several: cluster-metrics.ts). The worker's metrics are the Temporal SDK's, served
// by the worker itself (WORKER_METRICS_ADDRESS).
import type { Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { ServiceUnavailableError } from '../errors';
import type { HealthService } from '../health/health.service';
import { FUNNEL_STEPS } from '../stats/funnel.schema';
import type { FunnelService } from '../stats/funnel.service';
import { processMetricsReader } from './cluster-metrics';

export const FUNNEL_CACHE_MS = 30_000;
/** Reconciled days on /metrics: a week, enough for an alert on yesterday and a glance back. */
const RECONCILED_DAYS_SHOWN = 7;

export interface ApiMetricsDependencies {
  prisma: PrismaClient;
  funnel: FunnelService;
  health: HealthService;
  logger: Logger;
  cacheMs?: number;
}

/** One computation at a time, its result kept for `ttlMs`: a scrape storm costs one set of queries. */
function cached<T>(ttlMs: number, compute: () => Promise<T>): () => Promise<T> {
  let value: { at: number; result: Promise<T> } | undefined;
  return () => {
    if (!value || Date.now() - value.at > ttlMs) {
      const result = compute();
      value = { at: Date.now(), result };
      // A failure is not kept: the next scrape tries again.
      result.catch(() => (value = undefined));
    }
    return value.result;
  };
}

function routeLabel(req: Request): string {
  return req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
}

export function createApiMetrics(deps: ApiMetricsDependencies) {
  // What each process knows only of itself (summed across processes), and what the database knows.
  const local = new Registry();
  const databaseFigures = new Registry();
  collectDefaultMetrics({ register: local });
  const readProcessMetrics = processMetricsReader(local);
  const ttl = deps.cacheMs ?? FUNNEL_CACHE_MS;
  const byProvince = cached(ttl, () => deps.funnel.countByProvince());
  const byWave = cached(ttl, () => deps.funnel.countByWave());
  const health = cached(Math.min(ttl, 10_000), () => deps.health.checkHealth());

  /** A collect that fails leaves its metric empty for this scrape instead of failing the whole scrape. */
  const guarded = (name: string, collect: () => Promise<void>) => async () => {
    try {
      await collect();
    } catch (error) {
      deps.logger.warn({ err: error, metric: name }, 'metric not collected');
    }
  };

  const requestDuration = new Histogram({
    name: 'jalur_api_http_request_duration_seconds',
    help: 'API request durations by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [local],
  });

  const funnelPeople = new Gauge({
    name: 'jalur_funnel_people',
    help: 'People who reached each funnel step (registered, emailVerified, nikVerified, eligible, applied, selected, trainingPurchased, trainingCompleted, incentivesPaid, surveysDone, completed), whole program, by province',
    labelNames: ['step', 'province'] as const,
    registers: [databaseFigures],
  });
  const funnelPayments = new Gauge({
    name: 'jalur_funnel_payments',
    help: 'Settled payments by kind (incentive, survey), whole program, by province',
    labelNames: ['kind', 'province'] as const,
    registers: [databaseFigures],
  });
  const funnelRupiah = new Gauge({
    name: 'jalur_funnel_rupiah',
    help: 'Rupiah settled by kind (incentive, survey), whole program, by province',
    labelNames: ['kind', 'province'] as const,
    registers: [databaseFigures],
  });
  const collectByProvince = guarded('jalur_funnel_people', async () => {
    const counts = await byProvince();
    for (const gauge of [funnelPeople, funnelPayments, funnelRupiah]) gauge.reset();
    for (const [province, funnel] of counts) {
      const label = province ?? 'unknown';
      for (const step of FUNNEL_STEPS) funnelPeople.set({ step, province: label }, funnel.people[step]);
      funnelPayments.set({ kind: 'incentive', province: label }, funnel.incentives.payments);
      funnelPayments.set({ kind: 'survey', province: label }, funnel.surveys.payments);
      funnelRupiah.set({ kind: 'incentive', province: label }, funnel.incentives.rupiah);
      funnelRupiah.set({ kind: 'survey', province: label }, funnel.surveys.rupiah);
    }
  });

  const wavePeople = new Gauge({
    name: 'jalur_funnel_wave_people',
    help: 'People at each funnel step for one wave (cohorts as GET /v1/stats/funnel?wave= describes)',
    labelNames: ['step', 'wave'] as const,
    registers: [databaseFigures],
  });
  const waveRupiah = new Gauge({
    name: 'jalur_funnel_wave_rupiah',
    help: 'Rupiah settled to the participants one wave selected, by kind',
    labelNames: ['kind', 'wave'] as const,
    registers: [databaseFigures],
  });
  const collectByWave = guarded('jalur_funnel_wave_people', async () => {
    const counts = await byWave();
    wavePeople.reset();
    waveRupiah.reset();
    for (const [number, funnel] of counts) {
      const wave = String(number);
      for (const step of FUNNEL_STEPS) wavePeople.set({ step, wave }, funnel.people[step]);
      waveRupiah.set({ kind: 'incentive', wave }, funnel.incentives.rupiah);
      waveRupiah.set({ kind: 'survey', wave }, funnel.surveys.rupiah);
    }
  });

  const dependencyUp = new Gauge({ name: 'jalur_dependency_up', help: '1 when the API reaches the dependency', labelNames: ['dependency'] as const, registers: [databaseFigures] });
  const dependencyLatency = new Gauge({ name: 'jalur_dependency_latency_seconds', help: 'Latency of the last health check', labelNames: ['dependency'] as const, registers: [databaseFigures] });
  const collectHealth = guarded('jalur_dependency_up', async () => {
    const report = await health();
    for (const [dependency, check] of Object.entries(report.dependencies)) {
      dependencyUp.set({ dependency }, check.status === 'up' ? 1 : 0);
      dependencyLatency.set({ dependency }, check.latencyMs / 1000);
    }
  });

  const outboxPending = new Gauge({ name: 'jalur_workflow_start_outbox_pending', help: 'Registrations whose journey workflow has not started yet', registers: [databaseFigures] });
  const collectOutbox = guarded('jalur_workflow_start_outbox_pending', async () => {
    outboxPending.set(await deps.prisma.workflowStartOutbox.count({ where: { startedAt: null } }));
  });

  const reconciledPayments = new Gauge({
    name: 'jalur_reconciliation_payments',
    help: `Payments of each of the last ${RECONCILED_DAYS_SHOWN} reconciled WIB days, matched to the ledger or not (a discrepancy)`,
    labelNames: ['day', 'result'] as const,
    registers: [databaseFigures],
  });
  const reconciledRupiah = new Gauge({
    name: 'jalur_reconciliation_rupiah',
    help: `Rupiah of each of the last ${RECONCILED_DAYS_SHOWN} reconciled WIB days, matched to the ledger or not (a discrepancy)`,
    labelNames: ['day', 'result'] as const,
    registers: [databaseFigures],
  });
  const collectReconciliation = guarded('jalur_reconciliation_payments', async () => {
    const runs = await deps.prisma.reconciliationRun.findMany({ where: { status: 'COMPLETED' }, orderBy: { day: 'desc' }, take: RECONCILED_DAYS_SHOWN });
    reconciledPayments.reset();
    reconciledRupiah.reset();
    for (const run of runs) {
      const day = run.day.toISOString().slice(0, 10);
      reconciledPayments.set({ day, result: 'matched' }, run.matchedCount);
      reconciledPayments.set({ day, result: 'unmatched' }, run.unmatchedCount);
      reconciledRupiah.set({ day, result: 'matched' }, Number(run.matchedAmount));
      reconciledRupiah.set({ day, result: 'unmatched' }, Number(run.unmatchedAmount));
    }
  });

  const appeals = new Gauge({
    name: 'jalur_appeals',
    help: 'Appeals by status (open, upheld, overturned), and overturned ones by what deciding again found (result: reinstated, not_eligible_on_recheck, identity_not_confirmed, pending)',
    labelNames: ['status', 'result'] as const,
    registers: [databaseFigures],
  });
  const openAppeals = new Gauge({
    name: 'jalur_appeals_open',
    help: 'Open appeals by age since filing (the program\'s service level): under_1d, 1d_to_7d, 7d_to_14d, over_14d',
    labelNames: ['age'] as const,
    registers: [databaseFigures],
  });
  const collectAppeals = guarded('jalur_appeals', async () => {
    const [byStatus, byAge] = await Promise.all([
      deps.prisma.appeal.groupBy({ by: ['status', 'result'], _count: { _all: true } }),
      deps.prisma.$queryRaw<Array<{ age: string; count: bigint }>>`
        SELECT CASE WHEN now() - "filedAt" < interval '1 day' THEN 'under_1d'
                    WHEN now() - "filedAt" < interval '7 days' THEN '1d_to_7d'
                    WHEN now() - "filedAt" < interval '14 days' THEN '7d_to_14d'
                    ELSE 'over_14d' END AS age, count(*) AS count
        FROM "Appeal" WHERE status = 'OPEN' GROUP BY 1`,
    ]);
    appeals.reset();
    openAppeals.reset();
    for (const age of ['under_1d', '1d_to_7d', '7d_to_14d', 'over_14d']) openAppeals.set({ age }, 0);
    for (const row of byStatus) {
      const result = row.status === 'OVERTURNED' ? (row.result ?? 'pending').toLowerCase() : '';
      appeals.inc({ status: row.status.toLowerCase(), result }, row._count._all);
    }
    for (const row of byAge) openAppeals.set({ age: row.age }, Number(row.count));
  });

  const observeRequests: RequestHandler = (req, res, next) => {
    const end = requestDuration.startTimer();
    res.on('finish', () => end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }));
    next();
  };

  return {
    observeRequests,
    contentType: local.contentType,
    /** The Prometheus text; collects the database-backed figures first, all at once. */
    async render(): Promise<string> {
      await Promise.all([collectByProvince(), collectByWave(), collectHealth(), collectOutbox(), collectReconciliation(), collectAppeals()]);
      const [fromDatabase, fromProcesses] = await Promise.all([
        databaseFigures.metrics(),
        readProcessMetrics().catch((error: unknown) => {
          // Half the figures would read as a fall in traffic: no answer is better than a wrong one.
          deps.logger.warn({ err: error }, 'process metrics not collected');
          throw new ServiceUnavailableError('METRICS_UNAVAILABLE', 'The API processes\' metrics could not be collected; try again');
        }),
      ]);
      return `${fromDatabase.trimEnd()}\n${fromProcesses.trimEnd()}\n`;
    },
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
