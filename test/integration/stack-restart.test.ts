// A restart loses nothing: a second stack, started as `npm start` starts it (embedded PostgreSQL,
// Temporal on a file, the simulators keeping their state under the data folder), is stopped and
// started again twice in the middle of a journey: once after the registration of a resident the
// test added to the simulated Dukcapil (who must still be known after the restart), and once
// after the first incentive was paid (the provider must still hold that payment and its key).
// The journey then finishes, and the provider holds each payment once.
import fs from 'node:fs';
import path from 'node:path';
import { type LocalStack, startLocalStack } from '../../scripts/stack/local-stack';
import { api, createOpenWave, eventually, KEYS, participant, sim, waitForStage } from '../support/http';
import { register, setPayoutAccount, takeTraining, verifyEmail } from '../support/journeys';
import { readTestStack, TEST_DATA_DIR, type TestStackState, writeTestStack } from '../support/test-stack';

jest.setTimeout(600_000);

const PORT_BASE = Number(process.env.JALUR_TEST_PORT_BASE ?? 13000) + 50;
const DATA_DIR = path.join(TEST_DATA_DIR, 'restart-stack');
const STATE_FILE = path.join(DATA_DIR, 'stack.json');

interface ProviderPayment {
  idempotencyKey: string;
  amount: number;
  status: string;
}

let globalStack: TestStackState;
let stack: LocalStack | undefined;
const previousStateFile = process.env.JALUR_STACK_STATE_FILE;

async function startRestartStack(): Promise<LocalStack> {
  const log = fs.createWriteStream(path.join(DATA_DIR, 'stack.log'), { flags: 'a' });
  const started = await startLocalStack({
    host: '127.0.0.1',
    apiPort: PORT_BASE,
    simulatorsPort: PORT_BASE + 1,
    smtpPort: PORT_BASE + 2,
    temporal: { devPort: PORT_BASE + 3, uiPort: PORT_BASE + 4, dbFile: path.join(DATA_DIR, 'temporal', 'temporal.db') },
    database: { embeddedPort: PORT_BASE + 5, dataDir: path.join(DATA_DIR, 'postgres') },
    run: { simulators: true, worker: true, api: true },
    env: {
      NODE_ENV: 'test',
      JALUR_DATA_DIR: DATA_DIR,
      WORKFLOW_BUNDLE_PATH: globalStack.env.WORKFLOW_BUNDLE_PATH,
      SIM_POPULATION_SIZE: '1000',
    },
    output: (line) => log.write(`${line}\n`),
  });
  // The shared helpers (api, sim, waitForStage, ...) talk to the stack this file names.
  writeTestStack({
    apiUrl: started.apiUrl,
    simulatorsUrl: started.simulatorsUrl,
    temporalAddress: started.temporalAddress,
    temporalUiUrl: `http://127.0.0.1:${PORT_BASE + 4}`,
    databaseUrl: started.databaseUrl,
    taskQueue: globalStack.taskQueue,
    env: started.env,
  });
  return started;
}

async function restart(): Promise<void> {
  await stack!.stop();
  stack = undefined;
  stack = await startRestartStack();
}

const providerPayments = async (participantId: string) => (await sim<ProviderPayment[]>('GET', `/sim/payments?participantId=${participantId}`)).body;

beforeAll(async () => {
  globalStack = readTestStack();
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(DATA_DIR, { recursive: true });
  process.env.JALUR_STACK_STATE_FILE = STATE_FILE;
  stack = await startRestartStack();
});

afterAll(async () => {
  await stack?.stop();
  if (previousStateFile === undefined) delete process.env.JALUR_STACK_STATE_FILE;
  else process.env.JALUR_STACK_STATE_FILE = previousStateFile;
});

it('finishes a journey across two restarts of the whole stack, each payment made once', async () => {
  const wave = await createOpenWave();
  // A resident the simulated Dukcapil knows only because this test added them.
  const registered = await register();

  await restart();
  expect((await sim('GET', `/sim/residents/${registered.resident.nik}`)).status).toBe(200);
  await verifyEmail(registered);
  const { participantId } = registered;
  const eligible = await waitForStage(participantId, 'ELIGIBLE');
  expect(eligible.eligibility.outcome).toBe('ELIGIBLE');
  await setPayoutAccount(participantId);
  expect((await api('POST', `/v1/participants/${participantId}/wave-applications`, { body: { waveId: wave.id } })).status).toBe(200);
  expect((await api('POST', `/v1/waves/${wave.id}/close`, { key: KEYS.programManager })).status).toBe(200);
  await waitForStage(participantId, 'SELECTED');
  await takeTraining(participantId, { complete: true });
  await eventually(async () => ((await providerPayments(participantId)).some((payment) => payment.status === 'PAID') ? true : undefined), 'the first incentive at the provider');

  await restart();
  const keptByProvider = await providerPayments(participantId);
  expect(keptByProvider.filter((payment) => payment.status === 'PAID').length).toBeGreaterThanOrEqual(1);

  for (const sequence of [1, 2, 3]) {
    await eventually(async () => ((await participant(participantId)).body.surveys?.[sequence - 1]?.status === 'OPEN' ? true : undefined), `survey ${sequence} to open`);
    expect((await api('POST', `/v1/participants/${participantId}/surveys/${sequence}`, { body: { answers: { employed: true } } })).status).toBe(200);
  }
  const completed = await waitForStage(participantId, 'COMPLETED', 120_000);
  expect(completed.payments).toHaveLength(7);

  const atProvider = await providerPayments(participantId);
  const expectedKeys = [1, 2, 3, 4].map((n) => `${participantId}:incentive:${n}`).concat([1, 2, 3].map((n) => `${participantId}:survey:${n}`));
  expect(atProvider.filter((payment) => payment.status === 'PAID').map((payment) => payment.idempotencyKey).sort()).toEqual(expectedKeys.sort());
  // Each key reached the provider's records once, across both restarts.
  expect(atProvider.map((payment) => payment.idempotencyKey).sort()).toEqual(expectedKeys.sort());
  expect(atProvider.reduce((sum, payment) => sum + payment.amount, 0)).toBe(2_550_000);
});
