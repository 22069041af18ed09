// Downstream protection: a registry down for a while leaves participants waiting in
// VERIFYING_IDENTITY, never failed, and they carry on once it is back; every registry call
// goes through that system's own (rate-limited) task queue.
import { connectTestTemporal } from '../support/clients';
import { eventually, participant, sim, waitForStage } from '../support/http';
import { registerAndVerify } from '../support/journeys';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(180_000);

afterEach(async () => {
  await sim('DELETE', '/sim/faults/dukcapil');
});

it('waits out a Dukcapil outage in VERIFYING_IDENTITY, then continues to ELIGIBLE', async () => {
  expect((await sim('PUT', '/sim/faults/dukcapil', { outage: true })).status).toBe(200);
  const before = (await sim('GET', '/sim/stats')).body.dukcapil.rejectedByFault.outage as number;
  const { participantId } = await registerAndVerify();

  await waitForStage(participantId, 'VERIFYING_IDENTITY');
  // Turned away at least three times (retries back off: 1-2 s, 2-4 s, ...), still waiting.
  await eventually(async () => {
    const outages = (await sim('GET', '/sim/stats')).body.dukcapil.rejectedByFault.outage as number;
    return outages - before >= 3 ? outages : undefined;
  }, 'three refused Dukcapil calls', 60_000);
  expect((await participant(participantId)).body.stage).toBe('VERIFYING_IDENTITY');

  expect((await sim('DELETE', '/sim/faults/dukcapil')).status).toBe(204);
  await waitForStage(participantId, 'ELIGIBLE', 90_000);

  const temporal = await connectTestTemporal();
  try {
    const history = await temporal.client.workflow.getHandle(`participant-${participantId}`).fetchHistory();
    const scheduled = (history.events ?? [])
      .map((event) => event.activityTaskScheduledEventAttributes)
      .filter((attributes) => attributes != null)
      .map((attributes) => ({ activity: attributes.activityType?.name, taskQueue: attributes.taskQueue?.name }));
    const { taskQueue } = readTestStack();
    expect(scheduled).toEqual(
      expect.arrayContaining([
        { activity: 'verifyIdentityWithDukcapil', taskQueue: `${taskQueue}-dukcapil` },
        { activity: 'checkSocialAidWithDtks', taskQueue: `${taskQueue}-dtks` },
        { activity: 'checkStudentStatusWithDapodik', taskQueue: `${taskQueue}-dapodik` },
        { activity: 'checkLaidOffListWithKemnaker', taskQueue: `${taskQueue}-kemnaker` },
        { activity: 'countPastParticipationsInRegistry', taskQueue: `${taskQueue}-participation-registry` },
        { activity: 'recordStage', taskQueue },
      ]),
    );
    // One scheduled verification, however many attempts the outage took.
    expect(scheduled.filter((entry) => entry.activity === 'verifyIdentityWithDukcapil')).toHaveLength(1);
  } finally {
    await temporal.close();
  }
});
