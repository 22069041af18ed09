// Journeys on the production topology (`npm run cluster`, scripts/cluster/cluster.ts): each part
// a host of its own in a network namespace, the Temporal services as separate processes on
// PostgreSQL, two workers, two API hosts behind HAProxy. Three participants go from registration
// to COMPLETED through the balancer, as the README's walk-through does, and each is paid once.
// Skipped, saying why, where this machine cannot make network namespaces (not Linux, not root:
// the same check `npm run cluster` makes before it starts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { PAYOUT_TOTAL, runCompressedJourneys } from '../../bench/compressed-journeys';
import { eventually } from '../../bench/stack-http';
import { type RunningCluster, startCluster } from '../../scripts/cluster/cluster';
import { networkNamespacesUnavailable } from '../../scripts/cluster/network';
import { checkMoney } from '../../bench/money-checks';

jest.setTimeout(20 * 60_000);

const NAMESPACE_PREFIX = 'jalurtest-';

const unavailable = networkNamespacesUnavailable();
if (unavailable) console.warn(`cluster-topology: skipped, this machine cannot run the cluster topology: ${unavailable}`);
const describeOnCluster = unavailable ? describe.skip : describe;

describeOnCluster('the cluster topology', () => {
  let cluster: RunningCluster;
  let dataDir: string;
  const logFile = path.join('data', 'test', 'cluster-topology.log');

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-cluster-'));
    // PostgreSQL runs as its own account, which must reach its folder inside.
    fs.chmodSync(dataDir, 0o755);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const log = fs.createWriteStream(logFile);
    // Beside a cluster someone runs here with the defaults (10.77.0, jalur-).
    cluster = await startCluster({ dataDir, historyShards: 2, subnet: '10.78.0', namespacePrefix: NAMESPACE_PREFIX, output: (line) => log.write(`${line}\n`) });
  });

  afterAll(async () => {
    await cluster?.stop();
    // Nothing is left: no namespace, no bridge.
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(namespaces.split('\n').filter((line) => line.startsWith(NAMESPACE_PREFIX))).toEqual([]);
    expect(execFileSync('ip', ['link', 'show'], { encoding: 'utf8' })).not.toContain(`${NAMESPACE_PREFIX}br`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes journeys to COMPLETED through the balancer, both API hosts serving, each paid once; the UI decodes through the codec', async () => {
    const stack = { apiUrl: cluster.endpoints.apiUrl, simulatorsUrl: cluster.endpoints.simulatorsUrl };
    const outcomes = await runCompressedJourneys(stack, 3, { cohortSize: 3, cohortsInFlight: 1 });
    expect(outcomes.map((outcome) => outcome.stage)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);

    // Paid once each, by the payment provider's own record and by the ledger.
    const money = await checkMoney(outcomes.map((outcome) => outcome.participantId), { simulatorsUrl: stack.simulatorsUrl, databaseUrl: cluster.databaseUrl });
    expect(money.keysPaidTwice).toEqual([]);
    expect(money.wrongProviderTotals).toEqual([]);
    expect(money.wrongLedgerTotals).toEqual([]);
    expect(money.providerPaidAmount).toBe(3 * PAYOUT_TOTAL);

    // HAProxy sent requests to both API hosts.
    const csv = await (await fetch(`${cluster.endpoints.balancerStatsUrl};csv`)).text();
    const sessions = Object.fromEntries(
      csv
        .split('\n')
        .filter((line) => line.startsWith('api_hosts,api-'))
        .map((line) => line.split(','))
        .map((fields) => [fields[1], Number(fields[7])]),
    );
    expect(sessions['api-1']).toBeGreaterThan(0);
    expect(sessions['api-2']).toBeGreaterThan(0);

    // The Temporal UI, through the balancer, shows the journey's history; its payloads are
    // ciphertext that the API's codec decrypts for a signed-in operator's session, called from
    // the UI's origin (CORS), and for nobody else.
    const { temporalUiUrl, apiUrl } = cluster.endpoints;
    const workflowId = `participant-${outcomes[0]!.participantId}`;
    const history = (await (await fetch(`${temporalUiUrl}/api/v1/namespaces/default/workflows/${workflowId}/history?maximumPageSize=1`)).json()) as any;
    const payload = history.history.events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const session = await fetch(`${apiUrl}/codec/session`, { method: 'POST', headers: { authorization: 'Bearer dev-operator', origin: temporalUiUrl } });
    expect(session.status).toBe(201);
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const decode = (headers: Record<string, string>) =>
      fetch(`${apiUrl}/codec/decode`, { method: 'POST', headers: { origin: temporalUiUrl, 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body: JSON.stringify({ payloads: [payload] }) });
    const decoded = await decode({ cookie });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(temporalUiUrl);
    const [plain] = ((await decoded.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> }).payloads;
    expect(JSON.parse(Buffer.from(plain!.data, 'base64').toString())).toMatchObject({ participantId: outcomes[0]!.participantId });
    expect((await decode({})).status).toBe(401);

    // The journeys ran on the cluster's Temporal, with the search attributes its setup registered.
    const connection = await Connection.connect({ address: cluster.endpoints.temporalAddress });
    try {
      // The stage says COMPLETED a moment before the workflow closes (its last notice is still
      // being sent), and visibility follows the close: both are waited for.
      const closed = await eventually(async () => {
        const description = await connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
        const status = description.workflowExecutionInfo?.status;
        return status !== undefined && status !== null && status !== temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING ? status : undefined;
      }, 'the first journey\'s workflow to close');
      expect(closed).toBe(temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
      await eventually(async () => {
        const { count } = await connection.workflowService.countWorkflowExecutions({ namespace: 'default', query: `JalurStage = 'COMPLETED'` });
        return Number(count) >= 3 ? true : undefined;
      }, 'three journeys found by JalurStage = COMPLETED');
    } finally {
      await connection.close();
    }
  });
});
