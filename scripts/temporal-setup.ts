// `npm run temporal:setup`: what Jalur needs registered on a Temporal cluster before its workers
// and API start: the namespace (TEMPORAL_NAMESPACE) and the Jalur* search attributes the console's
// batch filters and the Temporal UI's lists use. Idempotent: what exists is left as it is, so it
// runs before every deployment. It reaches Temporal through the same settings as the API and the
// workers (TEMPORAL_ADDRESS, TLS, API key). The dev server registers both itself (`npm start`).
// Temporal Cloud creates namespaces in its own console (tcld), so there the namespace must exist.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../lib/config';
import { temporalConnectionOptions } from '../lib/temporal/connection';
import { jalurSearchAttributes } from '../workflows/search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const INDEXED_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

export interface TemporalSetupOptions {
  namespace: string;
  /** How long Temporal keeps a closed journey's history (operators and auditors read it). */
  retentionDays: number;
  log?: (line: string) => void;
}

export interface TemporalSetupResult {
  namespaceCreated: boolean;
  searchAttributesAdded: string[];
}

/** The gRPC status codes the calls below answer with (grpc.io's numbering). */
const grpcStatus = { NOT_FOUND: 5, ALREADY_EXISTS: 6 } as const;
const grpcCode = (error: unknown) => (error as { code?: number }).code;

export class SearchAttributeConflictError extends Error {
  constructor(name: string, expected: string, found: string) {
    super(`Search attribute ${name} exists as ${found} on this namespace, but Jalur writes it as ${expected}; rename or remove it first`);
    this.name = 'SearchAttributeConflictError';
  }
}

async function ensureNamespace(connection: Connection, { namespace, retentionDays, log }: TemporalSetupOptions): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (error) {
    if (grpcCode(error) !== grpcStatus.NOT_FOUND) throw error;
  }
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) });
    log?.(`namespace ${namespace} registered (retention ${retentionDays} days)`);
    return true;
  } catch (error) {
    // Another setup run got there first.
    if (grpcCode(error) === grpcStatus.ALREADY_EXISTS) return false;
    throw error;
  }
}

/**
 * A namespace just registered reaches every frontend's cache within its refresh interval (10 s by
 * default); until then it is "not found" there.
 */
async function waitForNamespace(connection: Connection, namespace: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connection.operatorService.listSearchAttributes({ namespace });
      return;
    } catch (error) {
      if (grpcCode(error) !== grpcStatus.NOT_FOUND || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

async function ensureSearchAttributes(connection: Connection, { namespace, log }: TemporalSetupOptions): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const attribute of jalurSearchAttributes) {
    const expected = INDEXED_TYPES[attribute.type]!;
    const found = customAttributes?.[attribute.name];
    if (found === undefined || found === null) missing[attribute.name] = expected;
    else if (found !== expected) throw new SearchAttributeConflictError(attribute.name, IndexedValueType[expected]!, IndexedValueType[found]!);
  }
  const names = Object.keys(missing);
  if (names.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (error) {
    // Another setup run added them meanwhile; the check below says whether all are there.
    if (grpcCode(error) !== grpcStatus.ALREADY_EXISTS) throw error;
  }
  log?.(`search attributes added: ${names.join(', ')}`);
  return names;
}

export async function setUpTemporal(connection: Connection, options: TemporalSetupOptions): Promise<TemporalSetupResult> {
  const namespaceCreated = await ensureNamespace(connection, options);
  await waitForNamespace(connection, options.namespace);
  const searchAttributesAdded = await ensureSearchAttributes(connection, options);
  return { namespaceCreated, searchAttributesAdded };
}

async function main() {
  const config = loadConfig();
  const retentionArgument = process.argv.indexOf('--retention-days');
  const retentionDays = retentionArgument > 0 ? Number(process.argv[retentionArgument + 1]) : 30;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error('--retention-days takes a whole number of days, 1 or more');
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const result = await setUpTemporal(connection, { namespace: config.temporal.namespace, retentionDays, log: (line) => console.log(line) });
    if (!result.namespaceCreated && result.searchAttributesAdded.length === 0) console.log(`namespace ${config.temporal.namespace} at ${config.temporal.address}: already set up`);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`Temporal setup failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
