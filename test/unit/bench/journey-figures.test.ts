import { bytesPerCachedWorkflow, journeyFigures, metricSum, parseWorkerVariants, workerEnvironment } from '../../../bench/journey-figures';

describe('parseWorkerVariants', () => {
  it('reads names and the settings each changes', () => {
    expect(parseWorkerVariants('defaults; small-cache:cache=20,workflow-slots=10')).toEqual([
      { name: 'defaults', settings: {} },
      { name: 'small-cache', settings: { cache: 20, 'workflow-slots': 10 } },
    ]);
  });

  it.each([
    ['', /no variant/],
    ['a:cache=20;a', /named twice/],
    ['a:size=20', /unknown setting "size"/],
    ['a:cache=-1', /whole number/],
    ['a:cache=1.5', /whole number/],
    ['a:cache=', /whole number/],
    ['Big Cache', /name must be/],
    ['two:processes=0', /at least 1/],
  ])('refuses %p', (text, message) => {
    expect(() => parseWorkerVariants(text)).toThrow(message);
  });

  it('gives the worker only the variables a variant changes', () => {
    expect(workerEnvironment({ name: 'x', settings: { cache: 0, 'activity-pollers': 2 } })).toEqual({ WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_MAX_CONCURRENT_ACTIVITY_TASK_POLLS: '2' });
    // Each of a variant's processes knows how many share the outside systems' ceilings.
    expect(workerEnvironment({ name: 'two', settings: { processes: 2 } })).toEqual({ WORKER_PROCESSES: '2' });
  });
});

describe('metricSum', () => {
  const text = [
    '# HELP temporal_sticky_cache_size Current cache size',
    'temporal_sticky_cache_size{namespace="default",service_name="temporal-core-sdk",task_queue="q"} 12',
    'temporal_sticky_cache_size{namespace="default",task_queue="q-waves"} 3',
    'temporal_sticky_cache_hit_total{task_queue="q",worker_type="WorkflowWorker"} 40',
    'temporal_sticky_cache_hit_total{task_queue="q",worker_type="Other"} 2',
    'temporal_sticky_cache_hit_total_extra{task_queue="q"} 1000',
    'process_uptime 7',
  ].join('\n');

  it('sums the samples of one metric whose labels match', () => {
    expect(metricSum(text, 'temporal_sticky_cache_size', { task_queue: 'q' })).toBe(12);
    expect(metricSum(text, 'temporal_sticky_cache_size')).toBe(15);
    expect(metricSum(text, 'temporal_sticky_cache_hit_total', { task_queue: 'q' })).toBe(42);
    expect(metricSum(text, 'process_uptime')).toBe(7);
    expect(metricSum(text, 'temporal_sticky_cache_miss_total')).toBe(0);
  });
});

describe('journeyFigures', () => {
  it('gives rates over the wall time and percentiles of the durations', () => {
    const journeys = Array.from({ length: 20 }, (_, i) => ({ startedAtMs: 0, closedAtMs: (i + 1) * 1000, historyLength: 100, stateTransitions: 60 }));
    expect(journeyFigures(journeys, 40)).toEqual({
      journeys: 20,
      wallSeconds: 40,
      journeysPerSecond: 0.5,
      stateTransitions: 1200,
      stateTransitionsPerJourney: 60,
      stateTransitionsPerSecond: 30,
      historyEvents: 2000,
      historyEventsPerJourney: 100,
      historyEventsPerSecond: 50,
      journeySeconds: { p50: 10, p95: 19, max: 20 },
    });
  });
});

describe('bytesPerCachedWorkflow', () => {
  it('divides the extra memory by the extra workflows cached', () => {
    expect(bytesPerCachedWorkflow({ rssBytes: 1_000, cached: 10 }, { rssBytes: 11_000, cached: 110 })).toBe(100);
  });

  it('has no answer when the cache did not grow', () => {
    expect(bytesPerCachedWorkflow({ rssBytes: 1_000, cached: 10 }, { rssBytes: 2_000, cached: 10 })).toBeUndefined();
  });
});
