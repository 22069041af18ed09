// API_PROCESSES > 1: the API as several Node processes sharing one port (node:cluster; the
// primary accepts connections and hands them round-robin to the processes). The primary serves
// nothing itself: it starts the processes, replaces one that dies, sums their metrics for the
// one that serves a scrape, and on SIGINT/SIGTERM stops them all and waits for their clean
// shutdown. Every process runs the whole API, outbox relay included: relays claim their rows with
// SKIP LOCKED, so they share the backlog safely.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../lib/logger';
import { answerClusterMetricsRequests } from './metrics/cluster-metrics';

/** A process that dies this soon after starting is failing at start-up: not replaced, or it would loop. */
const MIN_UPTIME_MS = 10_000;

export function superviseApiProcesses(processes: number, logger: Logger): Promise<void> {
  let stopping = false;
  const startedAt = new Map<Worker, number>();
  const fork = () => startedAt.set(cluster.fork(), Date.now());

  answerClusterMetricsRequests();
  return new Promise((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const uptimeMs = Date.now() - (startedAt.get(worker) ?? 0);
      startedAt.delete(worker);
      if (stopping) {
        if (startedAt.size === 0) resolve();
        return;
      }
      if (uptimeMs < MIN_UPTIME_MS) {
        logger.error({ pid: worker.process.pid, code, signal }, 'api process failed at start-up; stopping the API');
        process.exitCode = 1;
        stopAll();
        return;
      }
      logger.warn({ pid: worker.process.pid, code, signal }, 'api process died; starting another');
      fork();
    });
    const stopAll = () => {
      stopping = true;
      if (startedAt.size === 0) resolve();
      for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stopAll);
    for (let i = 0; i < processes; i += 1) fork();
    logger.info({ processes }, 'api processes started');
  });
}

/**
 * In a cluster process: a primary that is gone (killed with SIGKILL) must not leave its processes
 * behind. Returns what to call once the process has shut down: the IPC channel to the primary is
 * held open by any 'message' or 'disconnect' listener (this one, the metrics'), and would keep the
 * stopped process alive until the primary gave up waiting and killed it.
 */
export function stopWhenOrphaned(): () => void {
  if (!cluster.isWorker) return () => {};
  const stop = () => process.kill(process.pid, 'SIGTERM');
  process.once('disconnect', stop);
  return () => {
    process.off('disconnect', stop);
    process.disconnect();
  };
}
