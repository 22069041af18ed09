// Is each dependency up? Every check has a short timeout, so /health answers quickly even when
// a dependency hangs. /health needs no key, so a failure is described in general terms only.
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../../lib/database';

export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs: number;
  problem?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  dependencies: { temporal: DependencyHealth; database: DependencyHealth; simulators: DependencyHealth };
}

export interface HealthServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  simulatorsUrl: string;
  fetch: typeof fetch;
}

class CheckTimeoutError extends Error {}

export class HealthService {
  constructor(private readonly deps: HealthServiceDependencies) {}

  async checkHealth(): Promise<HealthReport> {
    const [temporal, database, simulators] = await Promise.all([
      measure(() => this.deps.temporal.withDeadline(Date.now() + HEALTH_CHECK_TIMEOUT_MS, () => this.deps.temporal.workflowService.getSystemInfo({}))),
      measure(() => this.deps.prisma.$queryRaw`SELECT 1`),
      measure(async () => {
        const response = await this.deps.fetch(new URL('/health', this.deps.simulatorsUrl), { signal: AbortSignal.timeout(HEALTH_CHECK_TIMEOUT_MS) });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`answered HTTP ${response.status}`);
      }),
    ]);
    const allUp = [temporal, database, simulators].every((dependency) => dependency.status === 'up');
    return { status: allUp ? 'ok' : 'degraded', dependencies: { temporal, database, simulators } };
  }
}

async function measure(check: () => Promise<unknown>): Promise<DependencyHealth> {
  const startedAt = performance.now();
  const latency = () => Math.round(performance.now() - startedAt);
  let timer: NodeJS.Timeout | undefined;
  // The checks bring their own timeouts; this one covers any that does not (Prisma has none).
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError()), HEALTH_CHECK_TIMEOUT_MS + 250);
  });
  try {
    await Promise.race([check(), timeout]);
    return { status: 'up', latencyMs: latency() };
  } catch (error) {
    return { status: 'down', latencyMs: latency(), problem: describeProblem(error) };
  } finally {
    clearTimeout(timer);
  }
}

function describeProblem(error: unknown): string {
  if (error instanceof CheckTimeoutError || (error instanceof Error && (error.name === 'TimeoutError' || /deadline/i.test(error.message)))) {
    return `no answer within ${HEALTH_CHECK_TIMEOUT_MS} ms`;
  }
  if (error instanceof Error && error.message.startsWith('answered HTTP')) return error.message;
  return 'unreachable';
}
