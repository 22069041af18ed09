// 500 registrations sent at the same instant over HTTP, each over its own connection, against the
// stack `npm test` starts (the embedded PostgreSQL unless TEST_DATABASE_URL says otherwise): none
// is a 5xx, each NIK is accepted once (a 429 is retried after its Retry-After, as a client
// would), and each accepted NIK is stored once. A database that serves every pool connection as
// one session (PGlite behind a socket) answered all but the first of these with 500.
import { randomInt } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { fetchResidents, registrationBody } from '../../bench/signup-load';
import { KEYS } from '../support/http';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(180_000);

const REGISTRANTS = 500;
const MAX_ATTEMPTS = 30;

interface Outcome {
  nik: string;
  statuses: number[];
  participantId?: string;
}

it(`takes ${REGISTRANTS} registrations sent at once with no 5xx, each NIK stored once`, async () => {
  const stack = readTestStack();
  // A stretch of the synthetic population no other test registers (the signup smoke test draws below 90,000).
  const residents = await fetchResidents(stack.simulatorsUrl, randomInt(90_000, 100_000 - REGISTRANTS), REGISTRANTS);
  // One connection per registrant: all 500 arrive together instead of queueing in a small pool.
  const agent = new http.Agent({ keepAlive: true, maxSockets: REGISTRANTS });
  const post = (body: Record<string, unknown>) =>
    new Promise<{ status: number; retryAfter: number; participantId?: string }>((resolve, reject) => {
      const request = http.request(
        `${stack.apiUrl}/v1/registrations`,
        { method: 'POST', agent, headers: { authorization: `Bearer ${KEYS.backend}`, 'content-type': 'application/json' } },
        (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            const answer = JSON.parse(text) as { participantId?: string };
            resolve({ status: response.statusCode!, retryAfter: Number(response.headers['retry-after'] ?? 1), participantId: answer.participantId });
          });
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify(body));
    });
  let release!: () => void;
  const startingGun = new Promise<void>((resolve) => (release = resolve));

  const register = async (body: Record<string, unknown>, nik: string): Promise<Outcome> => {
    const outcome: Outcome = { nik, statuses: [] };
    await startingGun;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const answer = await post(body);
      outcome.statuses.push(answer.status);
      if (answer.status !== 429) {
        outcome.participantId = answer.participantId;
        return outcome;
      }
      await new Promise((resolve) => setTimeout(resolve, answer.retryAfter * 1000));
    }
    return outcome;
  };

  const pending = residents.map((resident, index) => register(registrationBody(resident, index), resident.nik));
  release();
  const outcomes = await Promise.all(pending);
  agent.destroy();

  const statuses = outcomes.flatMap((outcome) => outcome.statuses);
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  expect(outcomes.filter((outcome) => outcome.statuses.at(-1) !== 202).map((outcome) => outcome.statuses)).toEqual([]);

  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const ids = outcomes.map((outcome) => outcome.participantId);
    const { rows } = await client.query<{ participants: string; outbox: string }>(
      `SELECT (SELECT count(*) FROM "Participant" WHERE id = ANY($1::uuid[])) AS participants,
              (SELECT count(*) FROM "WorkflowStartOutbox" WHERE "participantId" = ANY($1::uuid[])) AS outbox`,
      [ids],
    );
    expect(new Set(ids).size).toBe(REGISTRANTS);
    expect(Number(rows[0]!.participants)).toBe(REGISTRANTS);
    expect(Number(rows[0]!.outbox)).toBe(REGISTRANTS);
  } finally {
    await client.end();
  }
});
