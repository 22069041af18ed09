// The signup spike's load and its checks, shared by the benchmark (bench/signup-spike.ts) and the
// CI smoke test: an open-loop schedule of registrations (distinct valid ones, duplicate NIKs,
// invalid bodies) sent at a fixed rate over loopback with bounded concurrency, every answer
// timed; then what PostgreSQL and the outbox say about the accepted ones.
import http from 'node:http';
import pg from 'pg';

export interface SimulatedResident {
  nik: string;
  fullName: string;
  dateOfBirth: string;
  province: string;
}

export type PlannedRequest =
  | { kind: 'valid'; body: Record<string, unknown>; nik: string }
  | { kind: 'duplicate'; body: Record<string, unknown>; nik: string }
  | { kind: 'invalid'; body: Record<string, unknown> };

export interface AnsweredRequest {
  kind: PlannedRequest['kind'];
  status: number;
  /** From sending to the whole answer read, ms; the last attempt's when it was retried after 429. */
  latencyMs: number;
  /** When the answer came, ms since the load began. */
  answeredAtMs: number;
  attempts: number;
  participantId?: string;
  nik?: string;
  /** Why there was no answer (status 0): the socket error's code. */
  error?: string;
}

export function registrationBody(resident: SimulatedResident, index: number): Record<string, unknown> {
  return {
    nik: resident.nik,
    fullName: resident.fullName,
    dateOfBirth: resident.dateOfBirth,
    email: `peak-${index}-${resident.nik}@example.id`,
    phone: `+62812${String(10_000_000 + (index % 90_000_000)).padStart(8, '0')}`,
    province: resident.province,
    employmentStatus: 'LAID_OFF',
  };
}

/** Residents from the simulated population registry (NIKs valid and distinct), `count` from `offset`. */
export async function fetchResidents(simulatorsUrl: string, offset: number, count: number): Promise<SimulatedResident[]> {
  const residents: SimulatedResident[] = [];
  for (let from = offset; from < offset + count; from += 10_000) {
    const page = Math.min(10_000, offset + count - from);
    const response = await fetch(`${simulatorsUrl}/sim/residents/sample?count=${page}&offset=${from}`);
    if (!response.ok) throw new Error(`residents sample: HTTP ${response.status}`);
    residents.push(...((await response.json()) as SimulatedResident[]));
  }
  return residents;
}

/**
 * `residents.length` valid registrations, plus duplicates (a NIK sent a few hundred requests
 * earlier, so usually already committed) and invalid bodies (a 15-digit NIK), each a share of the
 * valid count, spread evenly through the schedule.
 */
export function planSignups(residents: SimulatedResident[], shares: { duplicate: number; invalid: number }): PlannedRequest[] {
  const plan: PlannedRequest[] = [];
  const everyDuplicate = shares.duplicate > 0 ? Math.round(1 / shares.duplicate) : Infinity;
  const everyInvalid = shares.invalid > 0 ? Math.round(1 / shares.invalid) : Infinity;
  residents.forEach((resident, index) => {
    const body = registrationBody(resident, index);
    plan.push({ kind: 'valid', body, nik: resident.nik });
    if ((index + 1) % everyDuplicate === 0) {
      const earlier = residents[Math.max(0, index - 300)]!;
      plan.push({ kind: 'duplicate', body: registrationBody(earlier, index + 1_000_000_000), nik: earlier.nik });
    }
    if ((index + 1) % everyInvalid === 0) plan.push({ kind: 'invalid', body: { ...body, nik: resident.nik.slice(1) } });
  });
  return plan;
}

export interface LoadOptions {
  url: string;
  authorization?: string;
  plan: PlannedRequest[];
  seconds: number;
  concurrency: number;
  /** Retries of a 429, each after its Retry-After. */
  maxRetries: number;
  onProgress?: (answered: number) => void;
}

interface Answer {
  status: number;
  retryAfter?: string;
  text: string;
}

/**
 * POSTs over node:http with keep-alive connections, at most `concurrency` open. Not `fetch`: on
 * this 2-core machine the client shares the CPU with the API it measures, and undici's fetch (WHATWG
 * streams, a Response per answer) used about as much CPU as the API did (46 % of a core against
 * 64 % at 1,333/s, by top); node:http costs a fraction of that.
 */
function createPoster(options: Pick<LoadOptions, 'url' | 'authorization' | 'concurrency'>) {
  const url = new URL(options.url);
  // FIFO: every connection takes its turn, as a balancer's pool does, so none sits idle long enough
  // for the server's keep-alive timeout. With Node's default (LIFO) most sat idle, the server
  // closed them, and a request sent on one just as it closed had no answer (10 of 83,200 in one run).
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency, scheduling: 'fifo' });
  const post = (body: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(options.authorization ? { authorization: options.authorization } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], text: Buffer.concat(chunks).toString() }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return { post, close: () => agent.destroy() };
}

/**
 * Opens the load's `concurrency` connections before the clock starts, each with one empty body
 * (400, nothing written), as a load balancer in front of the API holds its connections open.
 * Without it the first seconds measured a cold client opening hundreds of sockets at once: the
 * client saw up to 4 s where the API's own log had at most 0.6 s.
 */
async function openConnections(post: (body: string) => Promise<Answer>, concurrency: number): Promise<void> {
  await Promise.all(Array.from({ length: concurrency }, () => post('{}')));
}

/** Sends `plan` spread evenly over `seconds` (open loop, at most `concurrency` in flight). */
export async function driveLoad(options: LoadOptions): Promise<{ answers: AnsweredRequest[]; durationMs: number; maxLagMs: number }> {
  const { plan } = options;
  const { post, close } = createPoster(options);
  await openConnections(post, options.concurrency);
  const interval = (options.seconds * 1000) / plan.length;
  const answers: AnsweredRequest[] = new Array(plan.length);
  const began = performance.now();
  let next = 0;
  let maxLagMs = 0;
  let answered = 0;

  const send = async (planned: PlannedRequest): Promise<{ status: number; latencyMs: number; retryAfterMs: number; participantId?: string; error?: string }> => {
    const sentAt = performance.now();
    try {
      const answer = await post(JSON.stringify(planned.body));
      const participantId = answer.status === 202 ? (JSON.parse(answer.text) as { participantId?: string }).participantId : undefined;
      const retryAfterMs = Number(answer.retryAfter ?? '1') * 1000;
      return { status: answer.status, latencyMs: performance.now() - sentAt, retryAfterMs, participantId };
    } catch (error) {
      return { status: 0, latencyMs: performance.now() - sentAt, retryAfterMs: 1000, error: (error as NodeJS.ErrnoException).code ?? String(error) };
    }
  };

  const sender = async () => {
    for (;;) {
      const index = next++;
      if (index >= plan.length) return;
      const due = began + index * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      else maxLagMs = Math.max(maxLagMs, -wait);
      const planned = plan[index]!;
      let attempts = 0;
      let result;
      for (;;) {
        attempts += 1;
        result = await send(planned);
        if (result.status !== 429 || attempts > options.maxRetries) break;
        await new Promise((resolve) => setTimeout(resolve, result!.retryAfterMs));
      }
      answers[index] = {
        kind: planned.kind,
        status: result.status,
        latencyMs: result.latencyMs,
        answeredAtMs: performance.now() - began,
        attempts,
        participantId: result.participantId,
        nik: planned.kind === 'invalid' ? undefined : planned.nik,
        error: result.error,
      };
      answered += 1;
      options.onProgress?.(answered);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, sender));
  } finally {
    close();
  }
  return { answers, durationMs: performance.now() - began, maxLagMs };
}

/** `value` to `digits` decimal places, as the benchmarks report their figures. */
export function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface LoadSummary {
  requests: number;
  durationSeconds: number;
  accepted: number;
  acceptedPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  byStatus: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  retriedAfter429: number;
  /**
   * Of the distinct valid registrations: the share accepted at their first try (no 429 first),
   * the share accepted in the end (after retries), and when the last of them was accepted.
   */
  acceptance: { firstTry: number; withRetries: number; lastAcceptedAtSeconds: number };
  /** Requests with no HTTP answer, by the socket error's code, and the seconds they came in. */
  unanswered: { byError: Record<string, number>; atSeconds: number[] };
  maxScheduleLagMs: number;
  /** Per second of the run: answers, accepted, p50/p95/p99 latency. */
  timeline: Array<{ second: number; answered: number; accepted: number; p50: number; p95: number; p99: number }>;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

export function summarise(answers: AnsweredRequest[], durationMs: number, maxLagMs: number): LoadSummary {
  const latencies = answers.map((answer) => answer.latencyMs).sort((a, b) => a - b);
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, Record<string, number>> = {};
  for (const answer of answers) {
    byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
    const kind = (byKind[answer.kind] ??= {});
    kind[answer.status] = (kind[answer.status] ?? 0) + 1;
  }
  const seconds = Math.ceil(durationMs / 1000);
  const timeline = Array.from({ length: seconds }, (_, second) => {
    const inSecond = answers.filter((answer) => Math.floor(answer.answeredAtMs / 1000) === second);
    const sorted = inSecond.map((answer) => answer.latencyMs).sort((a, b) => a - b);
    return {
      second,
      answered: inSecond.length,
      accepted: inSecond.filter((answer) => answer.status === 202 || answer.status === 201).length,
      p50: Math.round(percentile(sorted, 50)),
      p95: Math.round(percentile(sorted, 95)),
      p99: Math.round(percentile(sorted, 99)),
    };
  });
  const isAccepted = (answer: AnsweredRequest) => answer.status === 202 || answer.status === 201;
  const accepted = answers.filter(isAccepted).length;
  const valid = answers.filter((answer) => answer.kind === 'valid');
  const validAccepted = valid.filter(isAccepted);
  const unanswered = answers.filter((answer) => answer.status === 0);
  return {
    requests: answers.length,
    durationSeconds: Math.round(durationMs) / 1000,
    accepted,
    acceptedPerSecond: Math.round(accepted / (durationMs / 1000)),
    latencyMs: { p50: round(percentile(latencies, 50), 1), p95: round(percentile(latencies, 95), 1), p99: round(percentile(latencies, 99), 1), max: round(latencies.at(-1) ?? 0, 1) },
    byStatus,
    byKind,
    retriedAfter429: answers.filter((answer) => answer.attempts > 1).length,
    acceptance: {
      firstTry: round(validAccepted.filter((answer) => answer.attempts === 1).length / Math.max(1, valid.length), 4),
      withRetries: round(validAccepted.length / Math.max(1, valid.length), 4),
      lastAcceptedAtSeconds: round(validAccepted.reduce((latest, answer) => Math.max(latest, answer.answeredAtMs), 0) / 1000, 1),
    },
    unanswered: {
      byError: countBy(unanswered.map((answer) => answer.error ?? 'unknown')),
      atSeconds: [...new Set(unanswered.map((answer) => Math.floor(answer.answeredAtMs / 1000)))],
    },
    maxScheduleLagMs: Math.round(maxLagMs),
    timeline,
  };
}

export interface SignupChecks {
  acceptedIds: number;
  /** NIKs with exactly one 202 among their requests, of the distinct NIKs sent. */
  niksAcceptedOnce: number;
  niksAcceptedTwice: number;
  /**
   * Duplicates refused: for each NIK sent more than once, its repeats when it was answered 202
   * once and 409 every other time. Any of its requests may win: a registration that met a 429
   * and waited its Retry-After can arrive after its duplicate.
   */
  duplicatesAnswered409: number;
  duplicatesSent: number;
  invalidAnswered400: number;
  invalidSent: number;
  serverErrors: number;
  participantRows: number;
  outboxRows: number;
  workflowsStarted: number;
  lost: number;
}

/** What the database holds for the accepted registrations; the outbox says which journeys started. */
export async function checkSignups(databaseUrl: string, answers: AnsweredRequest[]): Promise<SignupChecks> {
  const ids = answers.flatMap((answer) => (answer.participantId ? [answer.participantId] : []));
  const statusesPerNik = new Map<string, number[]>();
  for (const answer of answers) {
    if (!answer.nik) continue;
    statusesPerNik.set(answer.nik, [...(statusesPerNik.get(answer.nik) ?? []), answer.status]);
  }
  const acceptedPerNik = [...statusesPerNik.values()].map((statuses) => statuses.filter((status) => status === 202).length);
  const duplicatesRefused = [...statusesPerNik.values()]
    .filter((statuses) => statuses.length > 1 && statuses.filter((status) => status === 202).length === 1 && statuses.filter((status) => status === 409).length === statuses.length - 1)
    .reduce((sum, statuses) => sum + statuses.length - 1, 0);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ participants: string; outbox: string; started: string }>(
      `SELECT (SELECT count(*) FROM "Participant" WHERE id = ANY($1::uuid[])) AS participants,
              (SELECT count(*) FROM "WorkflowStartOutbox" WHERE "participantId" = ANY($1::uuid[])) AS outbox,
              (SELECT count(*) FROM "WorkflowStartOutbox" WHERE "participantId" = ANY($1::uuid[]) AND "startedAt" IS NOT NULL) AS started`,
      [ids],
    );
    const counts = rows[0]!;
    const participantRows = Number(counts.participants);
    return {
      acceptedIds: new Set(ids).size,
      niksAcceptedOnce: acceptedPerNik.filter((n) => n === 1).length,
      niksAcceptedTwice: acceptedPerNik.filter((n) => n > 1).length,
      duplicatesAnswered409: duplicatesRefused,
      duplicatesSent: answers.filter((answer) => answer.kind === 'duplicate').length,
      invalidAnswered400: answers.filter((answer) => answer.kind === 'invalid' && answer.status === 400).length,
      invalidSent: answers.filter((answer) => answer.kind === 'invalid').length,
      serverErrors: answers.filter((answer) => answer.status >= 500 || answer.status === 0).length,
      participantRows,
      outboxRows: Number(counts.outbox),
      workflowsStarted: Number(counts.started),
      lost: ids.length - participantRows,
    };
  } finally {
    await client.end();
  }
}

/** Polls the outbox until every accepted registration's journey has started (or the deadline); when the last one started. */
export async function waitForAllStarted(databaseUrl: string, participantIds: string[], timeoutMs: number): Promise<{ lastStartedAt?: Date; pending: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The ids go over once, into a temporary table. Sent with every poll, 80,000 of them took a
    // PostgreSQL backend 200 to 360 ms a poll (the slow-statement log), once a second, CPU taken
    // from the relay whose drain this measures; each poll now reads the unstarted rows only.
    await client.query('CREATE TEMPORARY TABLE watched_participant ("participantId" uuid PRIMARY KEY)');
    await client.query('INSERT INTO watched_participant SELECT unnest($1::uuid[])', [participantIds]);
    await client.query('ANALYZE watched_participant');
    const deadline = Date.now() + timeoutMs;
    let pending: number;
    for (;;) {
      const { rows } = await client.query<{ pending: string }>(
        `SELECT count(*) AS pending FROM "WorkflowStartOutbox" JOIN watched_participant USING ("participantId") WHERE "startedAt" IS NULL`,
      );
      pending = Number(rows[0]!.pending);
      if (pending === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const { rows } = await client.query<{ last: Date | null }>(`SELECT max("startedAt") AS last FROM "WorkflowStartOutbox" JOIN watched_participant USING ("participantId")`);
    return { lastStartedAt: rows[0]!.last ?? undefined, pending };
  } finally {
    await client.end();
  }
}
