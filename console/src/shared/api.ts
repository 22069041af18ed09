// The console's one way to call the API: same origin, the signed-in key on every call, every
// error answer turned into an ApiError with the API's code, message and fields.
import { consoleConfigSchema, type ConsoleConfig } from '../../../api/console/console-config.schema';
import { errorBodySchema } from '../../../api/openapi-shared';

export type { ConsoleConfig };
import type { Session } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** A route this server does not have (yet): another branch's endpoint before it is merged. */
  get isMissingRoute(): boolean {
    return this.status === 404 && this.code === 'NOT_FOUND';
  }
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  /** The rule set's revision, quoted, when the answer carries one. */
  etag: string | null;
}

export interface CallOptions {
  body?: unknown;
  ifMatch?: string;
  signal?: AbortSignal;
}

/** Answers are typed by the API's own schemas (imported as types); the API is this console's contract. */
export async function callApi<T>(session: Pick<Session, 'key'>, method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer<T>> {
  const response = await send(session, method, path, options, 'application/json');
  const text = await response.text();
  const body: unknown = text ? parseJson(text) : undefined;
  if (!response.ok) throw toApiError(response.status, body);
  return { status: response.status, body: body as T, etag: response.headers.get('etag') };
}

/** A file the API serves (an appeal's document): its bytes with their type, asked for with the key like any other call. */
export async function fetchApiFile(session: Pick<Session, 'key'>, path: string, options: Pick<CallOptions, 'signal'> = {}): Promise<Blob> {
  const response = await send(session, 'GET', path, options, '*/*');
  if (!response.ok) {
    const text = await response.text();
    throw toApiError(response.status, text ? parseJson(text) : undefined);
  }
  return response.blob();
}

async function send(session: Pick<Session, 'key'>, method: string, path: string, options: CallOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.key}`, accept };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  try {
    return await fetch(path, { method, headers, body: options.body !== undefined ? JSON.stringify(options.body) : undefined, signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'The API did not answer');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return new ApiError(status, `HTTP_${status}`, typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`);
  const { code, message, fields, requestId } = parsed.data.error;
  return new ApiError(status, code, message, fields ?? {}, requestId);
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/console/config.json');
  if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, 'The console configuration could not be read');
  return consoleConfigSchema.parse(await response.json());
}
