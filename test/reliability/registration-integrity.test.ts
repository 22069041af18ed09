// One NIK, one participant, one journey, however many registrations race for it; and extra
// fields in a body (stage, amount, role, ids) change nothing: the API copies only what it lists.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { connectTestTemporal } from '../support/clients';
import { api, createOpenWave, createResident, eventually, KEYS, participant, registrationFor, waitForStage } from '../support/http';
import { PAYOUT_ACCOUNT, registerAndVerify } from '../support/journeys';
import { readTestStack } from '../support/test-stack';
import { recordFigures } from './support/figures';

jest.setTimeout(180_000);

const RACERS = 100;
const MASS_ASSIGNMENT_FIELDS = (id: string) => ({ stage: 'COMPLETED', amount: 99_000_000, role: 'operator', participantId: id, id, nikHash: 'x', priorityPoints: 100, eligibilityOutcome: 'ELIGIBLE', trainingBalance: 99_000_000 });

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: readTestStack().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

it(`accepts one of ${RACERS} concurrent registrations with the same NIK and starts one journey`, async () => {
  const resident = await createResident();
  const startedAt = new Date(Date.now() - 1_000);
  const [{ count: before }] = (await sql<{ count: string }>(`SELECT count(*) FROM "Participant"`)) as [{ count: string }];
  const answers = await Promise.all(Array.from({ length: RACERS }, (_, i) => api('POST', '/v1/registrations', { body: registrationFor(resident, { email: `race-${i}-${resident.nik}@example.id` }) })));
  const statuses = answers.map((answer) => answer.status);
  const acceptedIds = answers.filter((answer) => answer.status === 202).map((answer) => answer.body.participantId as string);
  const [{ count: after }] = (await sql<{ count: string }>(`SELECT count(*) FROM "Participant"`)) as [{ count: string }];

  const temporal = await connectTestTemporal();
  try {
    await waitForStage(acceptedIds[0]!, 'AWAITING_EMAIL_VERIFICATION');
    // The list reads Temporal's visibility store, written a moment after a start (and the stage
    // above may come from the database, before the outbox relay has started the journey at all):
    // wait until the journey shows, then count.
    const journeysStarted = await eventually(async () => {
      let found = 0;
      for await (const execution of temporal.client.workflow.list({ query: `WorkflowType = "participantJourney" AND StartTime >= "${startedAt.toISOString()}"` })) {
        if (execution.workflowId === `participant-${acceptedIds[0]}`) found += 1;
      }
      return found > 0 ? found : undefined;
    }, 'the journey in the workflow list');
    const others = answers.filter((answer) => answer.status !== 202);
    recordFigures('registration-race', { racers: RACERS, accepted: acceptedIds.length, refused409: others.filter((a) => a.status === 409).length, participantRowsAdded: Number(after) - Number(before), journeysStarted });
    expect(acceptedIds).toHaveLength(1);
    expect(others.map((answer) => [answer.status, answer.body.error.code])).toEqual(others.map(() => [409, 'ALREADY_REGISTERED']));
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(Number(after) - Number(before)).toBe(1);
    expect(journeysStarted).toBe(1);
    expect((await temporal.client.workflow.getHandle(`participant-${acceptedIds[0]}`).describe()).status.name).toBe('RUNNING');
  } finally {
    await temporal.close();
  }
});

describe('no mass assignment', () => {
  it('ignores stage, amount, role and ids sent with a registration', async () => {
    const chosenId = randomUUID();
    const resident = await createResident();
    const answer = await api('POST', '/v1/registrations', { body: { ...registrationFor(resident), ...MASS_ASSIGNMENT_FIELDS(chosenId) } });
    // Refusing the extra fields (400) would be as good as ignoring them; accepting them is not.
    if (answer.status === 400) return;
    expect(answer.status).toBe(202);
    expect(answer.body.participantId).not.toBe(chosenId);
    expect(answer.body.stage).toBe('AWAITING_EMAIL_VERIFICATION');
    const rows = await sql<{ id: string; stage: string; priorityPoints: number | null; eligibilityOutcome: string | null; nikHash: string }>(
      `SELECT id, stage, "priorityPoints", "eligibilityOutcome", "nikHash" FROM "Participant" WHERE id = ANY($1::uuid[])`,
      [[answer.body.participantId, chosenId]],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: answer.body.participantId, priorityPoints: null, eligibilityOutcome: null });
    expect(rows[0]!.nikHash).not.toBe('x');
    expect(rows[0]!.stage).not.toBe('COMPLETED');
  });

  it('ignores them in a participant step and a wave: only the caller\'s own participant moves, by the rules', async () => {
    const wave = await createOpenWave();
    const bystander = await registerAndVerify();
    const { participantId } = await registerAndVerify();
    await waitForStage(participantId, 'ELIGIBLE', 90_000);
    const bystanderBefore = (await participant(bystander.participantId)).body;

    const payout = await api('PUT', `/v1/participants/${participantId}/payout-account`, { body: { ...PAYOUT_ACCOUNT, ...MASS_ASSIGNMENT_FIELDS(bystander.participantId) } });
    expect([200, 400]).toContain(payout.status);
    const applied = await api('POST', `/v1/participants/${participantId}/wave-applications`, { body: { waveId: wave.id, ...MASS_ASSIGNMENT_FIELDS(bystander.participantId), stage: 'SELECTED' } });
    expect([200, 400]).toContain(applied.status);

    const state = (await participant(participantId)).body;
    expect(state.stage).toBe(applied.status === 200 ? 'APPLIED_TO_WAVE' : 'ELIGIBLE');
    expect(state.payments).toEqual([]);
    expect(state.trainingBalance ?? 0).toBe(0);
    const bystanderAfter = (await participant(bystander.participantId)).body;
    expect(bystanderAfter.payout).toEqual(bystanderBefore.payout);
    expect(bystanderAfter.wave).toEqual(bystanderBefore.wave);
    expect((await sql(`SELECT 1 FROM "LedgerEntry" WHERE "participantId" = ANY($1::uuid[])`, [[participantId, bystander.participantId]]))).toEqual([]);

    // A wave created with a state, an id and counts of its own choosing.
    const chosenId = randomUUID();
    const created = await api('POST', '/v1/waves', {
      key: KEYS.programManager,
      body: { number: 900_000 + Math.floor(Math.random() * 99_999), opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 3_600_000).toISOString(), quota: 5, id: chosenId, state: 'CLOSED', selectedCount: 5, role: 'program-manager' },
    });
    if (created.status === 400) return;
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe(chosenId);
    expect(created.body.state).toBe('OPEN');
    expect(await sql(`SELECT 1 FROM "Wave" WHERE id = $1::uuid`, [chosenId])).toEqual([]);
  });
});
