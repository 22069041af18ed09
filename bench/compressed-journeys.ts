// Many compressed journeys driven to COMPLETED at once, each step retried until the journey
// shows it took effect: the reliability suite's chaos and restart scenarios kill what answers
// these calls, so a step may be refused (no worker, no Temporal) or applied with its answer lost;
// bench/journey-throughput.ts times the same journeys.
import type { Client } from '@temporalio/client';
import { runWithConcurrency } from '../lib/run-with-concurrency';
import { participantWorkflowId } from '../workflows/participant-journey.definitions';
import type { FinishedJourney } from './journey-figures';
import {
  apiRequest,
  createOpenWave,
  eventually,
  FAST_CALENDAR,
  KEYS,
  participant,
  PAYOUT_ACCOUNT,
  register,
  simulatorsRequest,
  type StackUrls,
  verifyEmail,
} from './stack-http';

export const BALANCE_CREDIT = 1_000_000;
export const PAYOUT_TOTAL = 4 * 600_000 + 3 * 50_000;

/** A journey's deadlines long enough to outlast a restart of the whole platform. */
const CHAOS_CALENDAR = { ...FAST_CALENDAR, emailVerificationWindow: 'PT1H', identityCorrectionWindow: 'PT1H', trainingPurchaseDeadline: 'PT1H', surveyWindow: 'PT1H' };

const STEP_TIMEOUT_MS = 20 * 60_000;

async function stateOf(stack: StackUrls, participantId: string): Promise<any> {
  const answer = await participant(stack, participantId);
  if (answer.status !== 200) throw new Error(`participant ${participantId}: HTTP ${answer.status}`);
  return answer.body;
}

/** Repeats `attempt` until `done(state)` holds: a lost answer or a refusal while things restart is tried again. */
async function stepUntil(stack: StackUrls, participantId: string, what: string, done: (state: any) => boolean, attempt: (state: any) => Promise<unknown>): Promise<any> {
  // Once a second, not eventually()'s four times: hundreds of journeys poll at once on a small machine.
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let last: unknown;
  for (;;) {
    try {
      const state = await stateOf(stack, participantId);
      if (done(state)) return state;
      await attempt(state);
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${participantId}: ${what}${last ? `: ${last}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

const waitUntil = (stack: StackUrls, participantId: string, what: string, done: (state: any) => boolean) => stepUntil(stack, participantId, what, done, async () => undefined);

export interface JourneyOutcome {
  participantId: string;
  stage: string;
}

/**
 * Drives `count` journeys to COMPLETED in cohorts of `cohortSize`, `cohortsInFlight` cohorts at a
 * time. Each cohort has its own wave: its members register and apply, the wave closes, and they
 * go on to the end. With one cohort in flight every journey is at the same stage; with two, one
 * cohort applies while the other trains and is paid, so a kill lands on every kind of step, and
 * journeys finish from the first cohort on instead of only after all have applied.
 * `onProgress` hears every finished journey; `onCohortApplied` is awaited once a cohort's journeys
 * all wait for their wave to close. `concurrency` bounds the journeys a cohort drives at once
 * (default: all of them).
 */
export interface CompressedJourneyOptions {
  cohortSize: number;
  cohortsInFlight: number;
  concurrency?: number;
  onProgress?: (done: number) => void;
  onCohortApplied?: () => Promise<void>;
}

export async function runCompressedJourneys(stack: StackUrls, count: number, options: CompressedJourneyOptions): Promise<JourneyOutcome[]> {
  const cohorts: number[] = [];
  for (let start = 0; start < count; start += options.cohortSize) cohorts.push(Math.min(options.cohortSize, count - start));
  const catalog = await eventually(async () => {
    const answer = await simulatorsRequest<Array<{ platformId: string; courseId: string; price: number }>>(stack, 'GET', '/sim/training/catalog');
    return answer.status === 200 ? answer.body : undefined;
  }, 'the catalog');
  const course = [...catalog].sort((a, b) => a.price - b.price)[0]!;

  const outcomes: JourneyOutcome[] = [];
  await runWithConcurrency(cohorts, options.cohortsInFlight, async (size) => {
    const ids = await registerAndApplyCohort(stack, size, options);
    await completeCohort(stack, ids, course, options.concurrency ?? size, (outcome) => {
      outcomes.push(outcome);
      options.onProgress?.(outcomes.length);
    });
  });
  return outcomes;
}

/** Registers `size` participants into a wave of their own, takes each to APPLIED, and closes the wave. */
async function registerAndApplyCohort(stack: StackUrls, size: number, options: Pick<CompressedJourneyOptions, 'concurrency' | 'onCohortApplied'>): Promise<string[]> {
  const wave = await eventually(async () => createOpenWave(stack, { calendar: CHAOS_CALENDAR, quota: Math.max(1000, size) }), 'a wave');
  const ids: string[] = new Array(size);
  await runWithConcurrency(Array.from({ length: size }, (_, i) => i), options.concurrency ?? size, async (i) => {
    const registered = await eventually(() => register(stack), 'a registration', STEP_TIMEOUT_MS);
    ids[i] = registered.participantId;
    const { participantId } = registered;
    await eventually(async () => {
      const state = await stateOf(stack, participantId);
      if (state.stage !== 'REGISTERED' && state.stage !== 'AWAITING_EMAIL_VERIFICATION') return true;
      await verifyEmail(stack, registered);
      return true;
    }, `${participantId}: email verified`, STEP_TIMEOUT_MS);
    await waitUntil(stack, participantId, 'eligible', (s) => s.stage === 'ELIGIBLE');
    await stepUntil(stack, participantId, 'payout account', (s) => s.payout?.hasAccount === true, () => apiRequest(stack, 'PUT', `/v1/participants/${participantId}/payout-account`, { body: PAYOUT_ACCOUNT }));
    await stepUntil(stack, participantId, 'applied', (s) => s.wave?.waveId === wave.id, () => apiRequest(stack, 'POST', `/v1/participants/${participantId}/wave-applications`, { body: { waveId: wave.id } }));
  });
  await options.onCohortApplied?.();

  await eventually(async () => {
    const closed = await apiRequest(stack, 'POST', `/v1/waves/${wave.id}/close`, { key: KEYS.programManager });
    if (closed.status === 200) return true;
    const current = await apiRequest(stack, 'GET', `/v1/waves/${wave.id}`, { key: KEYS.programManager });
    return current.status === 200 && current.body.state !== 'OPEN' ? true : undefined;
  }, 'the wave to close', STEP_TIMEOUT_MS);
  return ids;
}

/** Takes a closed wave's applicants from selection to COMPLETED (or another end), reporting each. */
async function completeCohort(stack: StackUrls, ids: string[], course: { platformId: string; courseId: string }, concurrency: number, onOutcome: (outcome: JourneyOutcome) => void): Promise<void> {
  await runWithConcurrency(ids, concurrency, async (participantId) => {
    await waitUntil(stack, participantId, 'selected', (s) => s.stage === 'SELECTED');
    // The platform redelivers its webhook until the journey takes it (10 tries over a few
    // minutes): a new event is asked for only when the last one has surely had its chance.
    for (const [what, route, done] of [
      ['training bought', '/sim/training/purchases', (s: any) => s.training != null],
      ['training completed', '/sim/training/completions', (s: any) => s.training?.completedAt != null],
    ] as const) {
      let lastSentAt = 0;
      await stepUntil(stack, participantId, what, done, async () => {
        if (Date.now() - lastSentAt < 240_000) return;
        const sent = await simulatorsRequest(stack, 'POST', route, { participantId, platformId: course.platformId, courseId: course.courseId });
        if (sent.status === 202) lastSentAt = Date.now();
      });
    }
    for (const sequence of [1, 2, 3]) {
      await stepUntil(stack, participantId, `survey ${sequence}`, (s) => s.surveys?.[sequence - 1]?.status === 'SUBMITTED', async (s) => {
        if (s.surveys?.[sequence - 1]?.status === 'OPEN') await apiRequest(stack, 'POST', `/v1/participants/${participantId}/surveys/${sequence}`, { body: { answers: { employed: true } } });
      });
    }
    const final = await waitUntil(stack, participantId, 'completed', (s) => s.stage === 'COMPLETED' || ['CANCELLED', 'WITHDRAWN', 'INELIGIBLE', 'REJECTED'].includes(s.stage));
    onOutcome({ participantId, stage: final.stage });
  });
}

/** What the Temporal server says of finished journeys: their times, history length and state transitions. */
export async function describeJourneys(temporal: Client, participantIds: string[]): Promise<FinishedJourney[]> {
  const finished: FinishedJourney[] = [];
  for (const participantId of participantIds) {
    const description = await temporal.workflow.getHandle(participantWorkflowId(participantId)).describe();
    finished.push({
      startedAtMs: description.startTime.getTime(),
      closedAtMs: description.closeTime?.getTime() ?? Date.now(),
      historyLength: description.historyLength,
      stateTransitions: Number(description.raw.workflowExecutionInfo?.stateTransitionCount ?? 0),
    });
  }
  return finished;
}
