// Failure messages and stack traces are encrypted like payloads: an activity fails with a NIK,
// a name and an e-mail address in its message, the workflow fails with a message quoting it, and
// neither the history the server hands out nor its SQLite file holds any of them in clear.
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../lib/config';
import { temporalDataConverter, WORKFLOW_BUNDLE_CONVERTERS } from '../../lib/temporal/connection';
import { findInFiles } from '../support/file-scan';
import { TEMPORAL_DB_FILE, readTestStack } from '../support/test-stack';
import type { FailingActivities } from '../support/workflows/failing-with-personal-data';

jest.setTimeout(180_000);

const NIK = '3171015708920042';
const NAME = 'Kartika Wulandari';
const EMAIL = 'kartika.wulandari.0042@example.id';

describe('failure encryption', () => {
  it('stores no personal data from a failure message, in the history or in the server\'s database', async () => {
    const stack = readTestStack();
    const config = loadConfig(stack.env);
    const dataConverter = temporalDataConverter(config);
    const taskQueue = `failure-encryption-${randomUUID()}`;
    // Built as the test stack's and production bundles are: with the failure converter inside.
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../support/workflows/failing-with-personal-data'), ...WORKFLOW_BUNDLE_CONVERTERS, logger: undefined });
    const activities: FailingActivities = {
      async refuseApplicant() {
        throw new Error(`Refused: NIK ${NIK} (${NAME}, ${EMAIL}) does not match the registry`);
      },
    };
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { code }, activities, dataConverter });
      const client = new Client({ connection, dataConverter });
      const workflowId = `failure-encryption-${randomUUID()}`;
      const run = client.workflow.execute('failingWithPersonalData', { taskQueue, workflowId, args: [{ participantId: randomUUID() }] });
      // Through the codec the failure reads back whole: the message was encrypted, not lost.
      const failure: unknown = await worker.runUntil(run.catch((error: unknown) => error));
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause?.message).toContain(NIK);

      // Without the codec: what the server stores.
      const { history } = await connection.workflowService.getWorkflowExecutionHistory({ namespace: config.temporal.namespace, execution: { workflowId } });
      const eventTypes = history!.events!.map((event) => event.eventType);
      expect(eventTypes).toContain(temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
      expect(eventTypes).toContain(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
      const stored = Buffer.from(temporal.api.history.v1.History.encode(history!).finish()).toString('latin1');
      for (const secret of [NIK, NAME, EMAIL, 'does not match the registry']) expect(stored).not.toContain(secret);
      const failed = history!.events!.find((event) => event.workflowExecutionFailedEventAttributes)!.workflowExecutionFailedEventAttributes!.failure!;
      expect(failed.message).toBe('Encoded failure');
      expect(Buffer.from(failed.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');

      const inDatabase = findInFiles([TEMPORAL_DB_FILE, `${TEMPORAL_DB_FILE}-wal`], [workflowId, NIK, NAME, EMAIL]);
      expect([...inDatabase]).toEqual([workflowId]);
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
