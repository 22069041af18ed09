/**
 * The one way the engine calls an outside system over HTTP: Node's fetch with a timeout per
 * call, responses validated with zod, and every failure turned into one of the two typed errors.
 */
import { z } from 'zod';
import type { OutsideSystem } from '../../lib/outside-systems';
import { OutsideSystemRejectedError, OutsideSystemUnavailableError } from './errors';
import { RequestPacer } from './request-pacer';

export interface OutsideSystemClientOptions {
  /** e.g. http://127.0.0.1:4000 */
  baseUrl: string;
  /** Covers the whole call, answer body included (not the wait for the pacer). */
  timeoutMs: number;
  /** This process's share of the system's ceiling; calls beyond it wait their turn. Unset: unpaced. */
  maxRequestsPerSecond?: number;
}

export interface OutsideSystemRequest<Schema extends z.ZodType> {
  method: 'GET' | 'POST';
  /** Path below the base URL; callers encode path parameters. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  responseSchema: Schema;
}

export interface OutsideSystemResponse<Body> {
  status: number;
  body: Body;
}

const errorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1).max(100),
    // Paths only: a field's message could quote its value.
    fields: z.array(z.object({ path: z.string().max(200) })).max(100).optional(),
  }),
});

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') {
    return undefined;
  }
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

/** The error's name, duck-typed: fetch's errors may come from another realm, where `instanceof Error` fails. */
function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string' ? err.name : undefined;
}

function networkFailureDetail(err: unknown): string | undefined {
  // Only the error code (ECONNREFUSED...) is kept: messages may quote the URL, which can hold a NIK.
  const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') {
    return cause.code;
  }
  return undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export class OutsideSystemHttp {
  private readonly baseUrl: string;
  private readonly pacer: RequestPacer | undefined;

  constructor(
    private readonly system: OutsideSystem,
    private readonly options: OutsideSystemClientOptions,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.pacer = options.maxRequestsPerSecond === undefined ? undefined : new RequestPacer(options.maxRequestsPerSecond);
  }

  async request<Schema extends z.ZodType>(request: OutsideSystemRequest<Schema>): Promise<OutsideSystemResponse<z.infer<Schema>>> {
    const { system } = this;
    let status: number;
    let retryAfterHeader: string | null;
    let text: string;
    await this.pacer?.acquire();
    try {
      const response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers: {
          Accept: 'application/json',
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      retryAfterHeader = response.headers.get('Retry-After');
      text = await response.text();
    } catch (err) {
      const name = errorName(err);
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new OutsideSystemUnavailableError({ system, status: null, reason: 'timeout', detail: `no answer within ${this.options.timeoutMs} ms` });
      }
      throw new OutsideSystemUnavailableError({ system, status: null, reason: 'network', detail: networkFailureDetail(err) });
    }

    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfterMs(retryAfterHeader, Date.now());
      throw new OutsideSystemUnavailableError({
        system,
        status,
        reason: status === 429 ? 'rate-limited' : 'server-error',
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    const json = parseJson(text);
    if (status >= 400) {
      const errorBody = json.ok ? errorBodySchema.safeParse(json.value) : undefined;
      if (errorBody?.success !== true) {
        throw new OutsideSystemRejectedError({ system, status, code: `HTTP_${status}` });
      }
      const { code, fields = [] } = errorBody.data.error;
      throw new OutsideSystemRejectedError({ system, status, code, refusedFields: fields.map((field) => field.path) });
    }
    if (status < 200 || status >= 300) {
      throw new OutsideSystemUnavailableError({ system, status, reason: 'invalid-response', detail: 'unexpected status' });
    }
    if (!json.ok) {
      throw new OutsideSystemUnavailableError({ system, status, reason: 'invalid-response', detail: 'answer is not JSON' });
    }
    const body = request.responseSchema.safeParse(json.value);
    if (!body.success) {
      // Paths only: zod messages could quote values that are personal data.
      const paths = body.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
      throw new OutsideSystemUnavailableError({ system, status, reason: 'invalid-response', detail: `unexpected shape at ${paths}` });
    }
    return { status, body: body.data };
  }
}
