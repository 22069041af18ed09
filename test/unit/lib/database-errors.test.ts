// Which database errors mean "the database is away" (retry, 503 DATABASE_UNAVAILABLE) rather than
// "the statement is wrong", as the pg driver throws them and as Prisma's pg adapter wraps them.
import { isConnectionFailure } from '../../../lib/database';
import { toHttpError } from '../../../api/errors';

/** The shape @prisma/driver-adapter-utils gives what the pg driver threw (`cause` is its payload). */
function driverAdapterError(cause: Record<string, unknown>): Error {
  const error = new Error(typeof cause.message === 'string' ? cause.message : String(cause.kind));
  error.name = 'DriverAdapterError';
  return Object.assign(error, { cause });
}

describe('isConnectionFailure', () => {
  it('knows the pg driver\'s socket errors and connection SQLSTATEs', () => {
    expect(isConnectionFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('shutting down'), { code: '57P01' }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('starting up'), { code: '57P03' }))).toBe(true);
    expect(isConnectionFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });

  it('knows them wrapped by Prisma\'s pg adapter', () => {
    expect(isConnectionFailure(driverAdapterError({ kind: 'postgres', code: '57P01', originalCode: '57P01', message: 'the database system is shutting down' }))).toBe(true);
    expect(isConnectionFailure(driverAdapterError({ kind: 'DatabaseNotReachable', host: '10.77.0.2', port: 5432 }))).toBe(true);
    expect(isConnectionFailure(driverAdapterError({ kind: 'ConnectionClosed' }))).toBe(true);
    expect(isConnectionFailure(driverAdapterError({ kind: 'LengthMismatch', column: 'x', originalCode: '22001' }))).toBe(false);
    expect(isConnectionFailure(driverAdapterError({ kind: 'postgres', code: '42P01', originalCode: '42P01', message: 'relation does not exist' }))).toBe(false);
  });

  it('makes a read that met a database shutting down a 503 DATABASE_UNAVAILABLE, not a 500', () => {
    const mapped = toHttpError(driverAdapterError({ kind: 'postgres', code: '57P01', originalCode: '57P01', message: 'the database system is shutting down' }));
    expect(mapped).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(toHttpError(driverAdapterError({ kind: 'postgres', code: '42P01', originalCode: '42P01', message: 'relation does not exist' }))).toBeUndefined();
  });
});
