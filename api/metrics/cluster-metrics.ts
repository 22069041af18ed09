// With API_PROCESSES > 1 a scrape reaches one process, which alone knows only its own requests and
// its own memory. The process-local metrics are summed across all processes by prom-client's
// AggregatorRegistry, which only the cluster's primary can run (it alone talks to every process):
// the process that serves the scrape asks the primary over the cluster's IPC channel and waits
// for the sum. The database-backed figures need none of this: every process reads the same rows.
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQUEST = 'jalur:cluster-metrics-request';
const RESPONSE = 'jalur:cluster-metrics-response';
/** Longer than the aggregator's own 5 s wait for the processes, so its error is the one reported. */
const ANSWER_TIMEOUT_MS = 6_000;

interface ClusterMetricsRequest {
  type: typeof REQUEST;
  id: number;
}

interface ClusterMetricsResponse {
  type: typeof RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/** In the primary: answers each process's request with the process metrics of all processes, summed. */
export function answerClusterMetricsRequests(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<ClusterMetricsRequest>(message, REQUEST)) return;
    void aggregator
      .clusterMetrics()
      .then(
        (text): ClusterMetricsResponse => ({ type: RESPONSE, id: message.id, text }),
        (error: Error): ClusterMetricsResponse => ({ type: RESPONSE, id: message.id, error: error.message }),
      )
      .then((response) => {
        if (worker.isConnected()) worker.send(response);
      });
  });
}

/**
 * The metrics text of this process's `local` registry: on its own, or, in a cluster process, the
 * sum over every process of the cluster (rejects when the primary cannot collect them).
 */
export function processMetricsReader(local: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => local.metrics();
  AggregatorRegistry.setRegistries([local]);
  // Constructed for its side effect: it installs the handler that hands this process's metrics to
  // the primary when any process asks for the sum.
  new AggregatorRegistry();

  let nextId = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: unknown) => {
    if (!isMessage<ClusterMetricsResponse>(message, RESPONSE)) return;
    const caller = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined || message.text === undefined) caller?.reject(new Error(message.error ?? 'no metrics in the answer'));
    else caller?.resolve(message.text);
  });

  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the cluster's primary did not answer within ${ANSWER_TIMEOUT_MS} ms`));
      }, ANSWER_TIMEOUT_MS);
      const settle = <T>(fn: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        fn(value);
      };
      waiting.set(id, { resolve: settle(resolve), reject: settle(reject) });
      const request: ClusterMetricsRequest = { type: REQUEST, id };
      process.send!(request);
    });
}
