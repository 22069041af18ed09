// The journey-throughput benchmark's arithmetic, apart from its processes: the worker variants
// named on the command line, the SDK's Prometheus text, and the figures per variant.
import { percentile, round } from './signup-load';

/** Short names for the worker's tuning variables (lib/config.ts). */
export const WORKER_SETTINGS = {
  cache: 'WORKER_MAX_CACHED_WORKFLOWS',
  'workflow-slots': 'WORKER_MAX_CONCURRENT_WORKFLOW_TASK_EXECUTIONS',
  'activity-slots': 'WORKER_MAX_CONCURRENT_ACTIVITY_TASK_EXECUTIONS',
  'workflow-pollers': 'WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS',
  'activity-pollers': 'WORKER_MAX_CONCURRENT_ACTIVITY_TASK_POLLS',
  // Worker processes for the variant, each with the others' settings; each also learns how many
  // share the outside systems' ceilings.
  processes: 'WORKER_PROCESSES',
} as const;
export type WorkerSetting = keyof typeof WORKER_SETTINGS;

export interface WorkerVariant {
  name: string;
  settings: Partial<Record<WorkerSetting, number>>;
}

/**
 * `defaults;small-cache:cache=20,workflow-slots=10`: variants apart by `;`, each a name and,
 * after `:`, the settings it changes (the others keep the SDK's defaults).
 */
export function parseWorkerVariants(text: string): WorkerVariant[] {
  const variants = text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): WorkerVariant => {
      const [name = '', list = ''] = part.split(':', 2).map((piece) => piece.trim());
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`variant "${part}": the name must be lower-case letters, digits and dashes`);
      const settings: WorkerVariant['settings'] = {};
      for (const assignment of list.split(',').map((piece) => piece.trim()).filter(Boolean)) {
        const [key = '', value = ''] = assignment.split('=', 2).map((piece) => piece.trim());
        if (!(key in WORKER_SETTINGS)) throw new Error(`variant "${name}": unknown setting "${key}" (known: ${Object.keys(WORKER_SETTINGS).join(', ')})`);
        const number = Number(value);
        if (value === '' || !Number.isInteger(number) || number < 0) throw new Error(`variant "${name}": ${key} needs a whole number, got "${value}"`);
        if (key === 'processes' && number === 0) throw new Error(`variant "${name}": processes needs at least 1`);
        settings[key as WorkerSetting] = number;
      }
      return { name, settings };
    });
  if (variants.length === 0) throw new Error('no variant given');
  const names = variants.map((variant) => variant.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new Error(`variant "${repeated}" is named twice`);
  return variants;
}

/** The worker's environment for a variant: only the settings it changes. */
export function workerEnvironment(variant: WorkerVariant): Record<string, string> {
  return Object.fromEntries(Object.entries(variant.settings).map(([key, value]) => [WORKER_SETTINGS[key as WorkerSetting], String(value)]));
}

/** The sum of every sample of `name` whose labels include `labels` (Prometheus text format). */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1]!, label[2]!]));
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) sum += Number(match[3]);
  }
  return sum;
}

export interface FinishedJourney {
  startedAtMs: number;
  closedAtMs: number;
  historyLength: number;
  /** The server's own count of the workflow's state transitions (mutable-state updates). */
  stateTransitions: number;
}

/** Journeys, state transitions and history events per second over the wall time given, and the journeys' own durations. */
export function journeyFigures(journeys: FinishedJourney[], wallSeconds: number) {
  const durations = journeys.map((journey) => (journey.closedAtMs - journey.startedAtMs) / 1000).sort((a, b) => a - b);
  const events = journeys.reduce((sum, journey) => sum + journey.historyLength, 0);
  const transitions = journeys.reduce((sum, journey) => sum + journey.stateTransitions, 0);
  return {
    journeys: journeys.length,
    wallSeconds: round(wallSeconds, 1),
    journeysPerSecond: round(journeys.length / wallSeconds, 2),
    stateTransitions: transitions,
    stateTransitionsPerJourney: journeys.length ? round(transitions / journeys.length, 1) : 0,
    stateTransitionsPerSecond: round(transitions / wallSeconds, 1),
    historyEvents: events,
    historyEventsPerJourney: journeys.length ? round(events / journeys.length, 1) : 0,
    historyEventsPerSecond: round(events / wallSeconds, 1),
    journeySeconds: { p50: round(percentile(durations, 50), 1), p95: round(percentile(durations, 95), 1), max: round(durations.at(-1) ?? 0, 1) },
  };
}

/** Extra resident memory per extra cached workflow between two readings; undefined when the cache did not grow. */
export function bytesPerCachedWorkflow(fewer: { rssBytes: number; cached: number }, more: { rssBytes: number; cached: number }): number | undefined {
  const extra = more.cached - fewer.cached;
  return extra > 0 ? Math.round((more.rssBytes - fewer.rssBytes) / extra) : undefined;
}
