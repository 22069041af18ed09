// Direct clients of the test stack's Temporal and database, for what a test checks behind the API.
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../lib/config';
import { createPrismaClient, type PrismaClient } from '../../lib/database';
import { temporalDataConverter } from '../../lib/temporal/connection';
import { readTestStack } from './test-stack';

export async function connectTestTemporal(): Promise<{ client: Client; close(): Promise<void> }> {
  const stack = readTestStack();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, dataConverter: temporalDataConverter(loadConfig(stack.env)) });
  return { client, close: () => connection.close() };
}

export function connectTestDatabase(): PrismaClient {
  return createPrismaClient(readTestStack().databaseUrl, { maxConnections: 2 });
}
