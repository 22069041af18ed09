// The Prisma client, through the pg driver adapter (no query-engine binary).
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export { Prisma, PrismaClient };

export function createPrismaClient(databaseUrl: string, options: { maxConnections?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}

/** The database could not be reached or dropped the connection (thrown by code on the `pg` driver directly). */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN']);

/**
 * True for a `pg` driver error that says the server is out of reach rather than the statement
 * wrong: socket errors, SQLSTATE class 08 (connection exception), and a server shutting down or
 * starting up (57P01-57P03).
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof Error && error.name === 'DriverAdapterError') return isDriverAdapterConnectionFailure(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return CONNECTION_ERROR_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code);
  return error instanceof Error && /Connection terminated/i.test(error.message);
}

/** The kinds Prisma's pg adapter gives a socket-level failure (@prisma/adapter-pg's convertDriverError). */
const ADAPTER_CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * Prisma's driver adapter wraps what the `pg` driver threw: a socket failure as its kind, a
 * server error with the SQLSTATE in `originalCode` (57P01 while PostgreSQL shuts down, say).
 */
function isDriverAdapterConnectionFailure(error: Error): boolean {
  const cause = (error as { cause?: { kind?: unknown; originalCode?: unknown } }).cause;
  if (!cause) return false;
  if (typeof cause.kind === 'string' && ADAPTER_CONNECTION_KINDS.has(cause.kind)) return true;
  return typeof cause.originalCode === 'string' && isConnectionFailure({ code: cause.originalCode });
}

/** True when a write failed on a unique constraint (Postgres 23505 through Prisma's P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
