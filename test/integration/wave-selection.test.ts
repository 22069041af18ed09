// Wave selection over the whole stack: real participants applying, the selection workflow
// ranking in PostgreSQL and telling every journey, schedule changes, and a worker killed
// half-way through a selection.
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { rankApplicants } from '../../lib/wave-lottery';
import type { ManagedChild } from '../../scripts/stack/child-process';
import { startJalurProcess } from '../../scripts/stack/local-stack';
import { participantWorkflowId } from '../../workflows/participant-journey.definitions';
import { WAVE_SELECTION_WORKFLOW, waveSelectionWorkflowId, type WaveSelectionResult } from '../../workflows/wave-selection.definitions';
import { connectTestTemporal } from '../support/clients';
import { api, createOpenWave, eventually, KEYS, participant, waitForStage } from '../support/http';
import { applyToWave, participantWithPriority, type DrivenParticipant } from '../support/participants';
import { readTestStack, TEST_DATA_DIR } from '../support/test-stack';
import { recordHistory } from '../support/replay-histories';

jest.setTimeout(300_000);

interface Applicant {
  participantId: string;
  status: string;
  rank: number | null;
  priorityPoints: number;
  lotteryTicket: string | null;
  carriedOverFromWaveId: string | null;
}

const pm = { key: KEYS.programManager };
const operator = { key: KEYS.operator };

async function allApplicants(waveId: string, status?: string): Promise<Applicant[]> {
  const applicants: Applicant[] = [];
  let cursor: string | null | undefined;
  do {
    const query = new URLSearchParams({ limit: '3', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
    const page = await api('GET', `/v1/waves/${waveId}/applicants?${query}`, operator);
    expect(page.status).toBe(200);
    applicants.push(...page.body.applicants);
    cursor = page.body.nextCursor;
  } while (cursor);
  return applicants;
}

async function selectionOf(waveId: string) {
  const answer = await api('GET', `/v1/waves/${waveId}/selection`, operator);
  expect(answer.status).toBe(200);
  return answer.body;
}

const selectionDone = (waveId: string, timeoutMs = 120_000) =>
  eventually(async () => {
    const selection = await selectionOf(waveId);
    return selection.state === 'SELECTED' ? selection : undefined;
  }, `wave ${waveId} to be SELECTED`, timeoutMs);

/** Two 50s, four 30s (a tie across the cut-off of a quota of 5), two 20s. */
async function eightApplicants(waveId: string): Promise<Map<string, number>> {
  const points = [50, 30, 20, 30, 50, 30, 20, 30] as const;
  const participants = await Promise.all(points.map((p) => participantWithPriority(p)));
  for (const { participantId } of participants) expect((await applyToWave(participantId, waveId)).status).toBe(200);
  return new Map(participants.map((p: DrivenParticipant, i) => [p.participantId, points[i]!]));
}

function expectRankingFromSeed(applicants: Applicant[], seed: string, quota: number, priorities: Map<string, number>) {
  expect(applicants.map((a) => a.priorityPoints)).toEqual(applicants.map((a) => priorities.get(a.participantId)));
  const recomputed = rankApplicants(seed, applicants.map(({ participantId, priorityPoints }) => ({ participantId, priorityPoints })), quota);
  expect(applicants.map(({ participantId, rank, lotteryTicket, status }) => ({ participantId, rank, lotteryTicket, selected: status === 'SELECTED' }))).toEqual(
    recomputed.map(({ participantId, rank, lotteryTicket, selected }) => ({ participantId, rank, lotteryTicket, selected })),
  );
}

async function signalNames(client: Client, participantId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(participantWorkflowId(participantId)).fetchHistory();
  return (history.events ?? []).flatMap((event) => (event.workflowExecutionSignaledEventAttributes?.signalName ? [event.workflowExecutionSignaledEventAttributes.signalName] : []));
}

describe('wave selection', () => {
  let temporal: Awaited<ReturnType<typeof connectTestTemporal>>;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(() => temporal.close());

  it('selects exactly the quota by priority, breaks ties by the recorded lottery, and tells every applicant', async () => {
    const number = randomInt(2_000_000, 2_900_000);
    const wave = await createOpenWave({ number, quota: 5 });
    // The next wave, which the not-selected are carried over to (WAVE_CARRY_OVER=true in the test stack).
    const next = await createOpenWave({ number: number + 1, opensAt: new Date(Date.now() + 5_000).toISOString() });
    const priorities = await eightApplicants(wave.id);

    const before = await selectionOf(wave.id);
    expect(before).toMatchObject({ state: 'OPEN', applicants: 8, selected: 0, seed: null, rankedAt: null });
    expect((await api('POST', `/v1/waves/${wave.id}/close`, operator)).status).toBe(403);
    expect((await api('POST', `/v1/waves/${wave.id}/close`, pm)).status).toBe(200);

    const selection = await selectionDone(wave.id);
    expect(selection).toMatchObject({ quota: 5, applicants: 8, selected: 5, notSelected: 3, withdrawn: 0, cutoffPriority: 30, signalled: 8, closedBy: KEYS.programManager });
    expect(selection.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(selection.transitions.map((t: { from: string; to: string }) => `${t.from}->${t.to}`)).toEqual(['SCHEDULED->OPEN', 'OPEN->CLOSED', 'CLOSED->SELECTING', 'SELECTING->SELECTED']);

    const applicants = await allApplicants(wave.id);
    expect(applicants.map((a) => a.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Highest priority first: both 50s in, both 20s out, the cut-off between the 30s...
    const selected = applicants.filter((a) => a.status === 'SELECTED');
    const notSelected = applicants.filter((a) => a.status === 'NOT_SELECTED');
    expect(selected).toHaveLength(5);
    expect(Math.min(...selected.map((a) => a.priorityPoints))).toBeGreaterThanOrEqual(Math.max(...notSelected.map((a) => a.priorityPoints)));
    // ...where the lottery decides: the selected 30s hold lower tickets than the one left out.
    const tied = applicants.filter((a) => a.priorityPoints === 30);
    expect(tied.map((a) => a.lotteryTicket)).toEqual([...tied.map((a) => a.lotteryTicket!)].sort());
    expect(tied.map((a) => a.status)).toEqual(['SELECTED', 'SELECTED', 'SELECTED', 'NOT_SELECTED']);
    // The recorded seed gives the same ranking, recomputed outside the database.
    expectRankingFromSeed(applicants, selection.seed, 5, priorities);
    expect((await allApplicants(wave.id, 'SELECTED')).map((a) => a.participantId)).toEqual(selected.map((a) => a.participantId));

    // Every journey was told: the selected hold a training balance, the rest were carried over.
    for (const applicant of selected) {
      expect((await waitForStage(applicant.participantId, 'SELECTED')).wave).toMatchObject({ waveId: wave.id, outcome: 'SELECTED' });
    }
    for (const applicant of notSelected) {
      const carried = await eventually(async () => {
        const state = (await participant(applicant.participantId)).body;
        return state.stage === 'APPLIED_TO_WAVE' && state.wave?.waveId === next.id ? state : undefined;
      }, 'the not-selected to be carried over to the next wave');
      expect(carried.wavesApplied).toBe(2);
    }
    for (const applicant of applicants) expect(await signalNames(temporal.client, applicant.participantId)).toEqual(['waveOutcome']);
    expect((await allApplicants(next.id)).map((a) => [a.participantId, a.carriedOverFromWaveId]).sort()).toEqual(notSelected.map((a) => [a.participantId, wave.id]).sort());

    // Three pages of three, two pages per run: the history was cut by continue-as-new.
    const result: WaveSelectionResult = await temporal.client.workflow.getHandle(waveSelectionWorkflowId(wave.id)).result();
    expect(result).toMatchObject({ outcome: 'SELECTED', applicants: 8, selected: 5, signalled: 8, runs: 2 });
    const selectionRuns = await temporal.client.workflow.getHandle(waveSelectionWorkflowId(wave.id)).describe();
    await recordHistory(waveSelectionWorkflowId(wave.id), 'wave-selection-first-run', selectionRuns.raw.workflowExecutionInfo?.firstRunId ?? undefined);
    await recordHistory(waveSelectionWorkflowId(wave.id), 'wave-selection-last-run');

    // Closing again changes nothing; applying to the closed wave is refused.
    expect((await api('POST', `/v1/waves/${wave.id}/close`, pm)).body).toMatchObject({ selected: 5, seed: selection.seed, rankedAt: selection.rankedAt });
    const latecomer = await participantWithPriority(50);
    const refused = await applyToWave(latecomer.participantId, wave.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('WAVE_NOT_OPEN');
    expect((await api('POST', `/v1/waves/${next.id}/close`, pm)).status).toBe(200);
  });

  it('lets program managers adjust a wave before and while it is open, closes it on the new schedule, and refuses changes after', async () => {
    const scheduled = await createOpenWave({ number: randomInt(5_000_000, 5_900_000), opensAt: new Date(Date.now() + 86_400_000).toISOString(), closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString() });
    // Years ahead of whenever the test runs: a fixed year (it was 2030) would one day be the past.
    const year = new Date().getUTCFullYear() + 4;
    const adjusted = await api('PATCH', `/v1/waves/${scheduled.id}`, { ...pm, body: { quota: 200, calendar: { surveyWindow: 'PT30S' }, opensAt: `${year}-01-01T00:00:00+07:00`, closesAt: `${year}-01-06T16:00:00+07:00` } });
    expect(adjusted.status).toBe(200);
    expect(adjusted.body).toMatchObject({ state: 'SCHEDULED', quota: 200, timeZone: 'Asia/Jakarta', opensAtLocal: `${year}-01-01T00:00:00+07:00`, closesAtLocal: `${year}-01-06T16:00:00+07:00` });
    expect(adjusted.body.calendar.surveyWindow).toBe('PT30S');
    expect((await api('POST', `/v1/waves/${scheduled.id}/close`, pm)).body.error.code).toBe('WAVE_NOT_OPEN_YET');
    const tooEarly = await api('PATCH', `/v1/waves/${scheduled.id}`, { ...pm, body: { closesAt: `${year - 1}-12-31T00:00:00+07:00` } });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.error.fields).toEqual({ closesAt: 'must be later than opensAt' });

    const open = await createOpenWave({ number: randomInt(5_000_000, 5_900_000), quota: 10 });
    expect((await api('PATCH', `/v1/waves/${open.id}`, { ...pm, body: { quota: 20 } })).body.quota).toBe(20);
    const openingMoved = await api('PATCH', `/v1/waves/${open.id}`, { ...pm, body: { opensAt: new Date().toISOString() } });
    expect([openingMoved.status, openingMoved.body.error.code]).toEqual([409, 'WAVE_ALREADY_OPEN']);
    const past = await api('PATCH', `/v1/waves/${open.id}`, { ...pm, body: { closesAt: new Date(Date.now() - 1_000).toISOString() } });
    expect([past.status, past.body.error.code]).toEqual([422, 'CLOSES_IN_THE_PAST']);
    expect((await api('PATCH', `/v1/waves/${open.id}`, { ...pm, body: {} })).status).toBe(400);

    // The selection workflow hears the new closing time and closes the wave by its timer.
    expect((await api('PATCH', `/v1/waves/${open.id}`, { ...pm, body: { closesAt: new Date(Date.now() + 3_000).toISOString() } })).status).toBe(200);
    const selection = await selectionDone(open.id, 60_000);
    expect(selection).toMatchObject({ applicants: 0, selected: 0, closedBy: 'schedule', cutoffPriority: null });
    expect(selection.transitions.find((t: { to: string }) => t.to === 'CLOSED')).toMatchObject({ from: 'OPEN', actor: 'schedule' });
    const afterClose = await api('PATCH', `/v1/waves/${open.id}`, { ...pm, body: { quota: 5 } });
    expect([afterClose.status, afterClose.body.error.code]).toEqual([409, 'WAVE_CLOSED']);
    expect((await api('GET', '/v1/waves/00000000-0000-4000-8000-000000000000/selection', operator)).status).toBe(404);
  });

  it('gives the same result when the worker running the selection is killed half-way', async () => {
    const stack = readTestStack();
    const queue = `jalur-crash-${randomInt(1e9)}`;
    const log = fs.createWriteStream(path.join(TEST_DATA_DIR, 'crash-workers.log'), { flags: 'a' });
    // Only these workers poll the selection's queue; slow paging so the kill lands mid-way.
    const crashWorkerEnv = {
      ...stack.env,
      TEMPORAL_TASK_QUEUE: queue,
      TEMPORAL_SELECTION_TASK_QUEUE: `${queue}-waves`,
      WAVE_SELECTION_PAGE_SIZE: '2',
      WAVE_SELECTION_PAGES_PER_RUN: '2',
      WAVE_SELECTION_SIGNALS_PER_SECOND: '1',
      WAVE_SELECTION_SIGNAL_CONCURRENCY: '1',
      WORKER_METRICS_ADDRESS: undefined,
    };
    const startWorker = (name: string) => startJalurProcess('worker', crashWorkerEnv, (line) => log.write(`[${name}] ${line}\n`), async () => true);
    const workers: ManagedChild[] = [];
    try {
      const wave = await createOpenWave({ number: randomInt(9_000_000, 9_900_000), quota: 5 });
      // Hand the wave's selection to the crash-test queue: the stack's worker never sees it.
      const selectionWorkflow = temporal.client.workflow.getHandle(waveSelectionWorkflowId(wave.id));
      await selectionWorkflow.terminate('moved to the crash-test worker');
      await temporal.client.workflow.start(WAVE_SELECTION_WORKFLOW, { workflowId: waveSelectionWorkflowId(wave.id), taskQueue: `${queue}-waves`, args: [{ waveId: wave.id }] });
      const priorities = await eightApplicants(wave.id);
      workers.push(await startWorker('first'));

      expect((await api('POST', `/v1/waves/${wave.id}/close`, pm)).status).toBe(200);
      const halfWay = await eventually(async () => {
        const selection = await selectionOf(wave.id);
        return selection.signalled >= 2 ? selection : undefined;
      }, 'the fan-out to be under way', 120_000);
      // The whole process group: tsx runs the worker in a child process.
      process.kill(-workers[0]!.process.pid!, 'SIGKILL');
      await workers[0]!.exited;
      expect(halfWay.state).toBe('SELECTING');
      expect(halfWay.signalled).toBeLessThan(8);

      workers.push(await startWorker('second'));
      const selection = await selectionDone(wave.id, 180_000);
      expect(selection).toMatchObject({ applicants: 8, selected: 5, notSelected: 3, signalled: 8, seed: halfWay.seed, rankedAt: halfWay.rankedAt });
      expect(selection.transitions.map((t: { to: string }) => t.to)).toEqual(['OPEN', 'CLOSED', 'SELECTING', 'SELECTED']);

      const applicants = await allApplicants(wave.id);
      expect(applicants.map((a) => a.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expectRankingFromSeed(applicants, selection.seed, 5, priorities);
      for (const applicant of applicants) {
        const expected = applicant.status === 'SELECTED' ? 'SELECTED' : 'ELIGIBLE';
        const state = await waitForStage(applicant.participantId, expected);
        expect(state.wave).toMatchObject({ waveId: wave.id, outcome: applicant.status });
        // Told at least once; a page re-sent after the crash is ignored by the journey.
        expect((await signalNames(temporal.client, applicant.participantId)).length).toBeGreaterThanOrEqual(1);
      }
      const result: WaveSelectionResult = await selectionWorkflow.result();
      expect(result).toMatchObject({ outcome: 'SELECTED', selected: 5, signalled: 8 });
    } finally {
      for (const worker of workers) await worker.stop();
      log.end();
    }
  });
});
