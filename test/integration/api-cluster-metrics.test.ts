// The API as two processes (API_PROCESSES=2) on the test stack's database and Temporal: a scrape of
// /metrics, whichever process answers it, counts the requests that both processes served, and the
// database-backed figures appear once, not once per process.
import http from 'node:http';
import { startJalurProcess } from '../../scripts/stack/local-stack';
import { httpReady, type ManagedChild } from '../../scripts/stack/child-process';
import { eventually, KEYS } from '../support/http';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(180_000);

const PORT = Number(process.env.JALUR_TEST_PORT_BASE ?? 13000) + 7;
const API_URL = `http://127.0.0.1:${PORT}`;
const HEALTH_REQUESTS = 40;

let api: ManagedChild;
const output: string[] = [];

/** A request on a connection of its own: the cluster's primary hands each new connection to the next process. */
function getOnNewConnection(path: string, key?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${API_URL}${path}`, { agent: false, headers: key ? { authorization: `Bearer ${key}` } : {} }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

function samples(metricsText: string, name: string): string[] {
  return metricsText.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

beforeAll(async () => {
  const { env } = readTestStack();
  api = await startJalurProcess('api', { ...env, API_PORT: String(PORT), API_PUBLIC_URL: API_URL, API_PROCESSES: '2' }, (line) => output.push(line), httpReady(`${API_URL}/openapi.json`));
  // Ready once both processes listen, not only the first.
  await eventually(async () => (output.filter((line) => line.includes('api listening')).length >= 2 ? true : undefined), 'both API processes to listen', 60_000);
});

afterAll(async () => {
  await api?.stop();
});

it('sums the request counts of both processes in one scrape, and reports the database figures once', async () => {
  for (let i = 0; i < HEALTH_REQUESTS; i += 1) expect((await getOnNewConnection('/health')).status).toBe(200);

  // Each scrape is answered by one of the two processes; both must see the same sum.
  for (let scrape = 0; scrape < 4; scrape += 1) {
    const metrics = await getOnNewConnection('/metrics', KEYS.operator);
    expect(metrics.status).toBe(200);
    const healthCounts = samples(metrics.body, 'jalur_api_http_request_duration_seconds_count').filter((line) => line.includes('route="/health'));
    const served = healthCounts.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    expect(served).toBe(HEALTH_REQUESTS);
    expect(samples(metrics.body, 'jalur_workflow_start_outbox_pending')).toHaveLength(1);
    expect(samples(metrics.body, 'nodejs_version_info')).toHaveLength(1);
  }
});

it('stops both processes cleanly on SIGTERM', async () => {
  await api.stop(20_000);
  expect(await api.exited).toBe(0);
});
