// Batch actions by filter over HTTP against the running stack: the count before anything starts,
// a second operator over the threshold (BATCH_ACTION_CONFIRMATION_THRESHOLD is 5 in the test
// stack), progress, pause, resume and cancellation half-way, and each member's outcome recorded
// in the batch and in the participant's own audit trail with the batch id.
import { loadConfig } from '../../lib/config';
import { PeopleTokens } from '../../lib/people-tokens';
import { batchActionWorkflowId } from '../../workflows/batch-action.definitions';
import { connectTestDatabase, connectTestTemporal } from '../support/clients';
import { api, createOpenWave, eventually, KEYS, sim, waitForStage } from '../support/http';
import { register, waitForJourney, type RegisteredParticipant } from '../support/journeys';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(240_000);

const prisma = connectTestDatabase();
afterAll(() => prisma.$disconnect());

const AUDITOR_KEY = 'dev-auditor';
let secondOperator: string;
beforeAll(async () => {
  const tokens = new PeopleTokens(loadConfig({ ...readTestStack().env }).tokens);
  secondOperator = (await tokens.issue({ role: 'operator', name: 'Rina (second operator)', ttlSeconds: 1_800 })).token;
});

const batchAction = (batchId: string, key: string = KEYS.operator) => api('GET', `/v1/batch-actions/${batchId}`, { key });
const control = (batchId: string, control: string, body?: unknown) => api('POST', `/v1/batch-actions/${batchId}/${control}`, { key: KEYS.operator, body });
const waitForBatch = (batchId: string, what: string, check: (batch: any) => boolean, timeoutMs = 60_000) =>
  eventually(async () => {
    const answer = await batchAction(batchId);
    return answer.status === 200 && check(answer.body) ? answer.body : undefined;
  }, `batch ${batchId}: ${what}`, timeoutMs);

/** A wave that opens now: the participants registered from here on and in no wave yet are its cohort. */
async function cohortAwaitingEmail(size: number): Promise<{ wave: { id: string; number: number }; members: RegisteredParticipant[] }> {
  const wave = await createOpenWave({ opensAt: new Date().toISOString() });
  const members: RegisteredParticipant[] = [];
  for (let index = 0; index < size; index++) members.push(await register());
  for (const member of members) await waitForJourney(member.participantId, 'AWAITING_EMAIL_VERIFICATION');
  return { wave, members };
}

async function auditTrail(participantId: string) {
  const answer = await api('GET', `/v1/participants/${participantId}/audit-trail`, { key: AUDITOR_KEY });
  expect(answer.status).toBe(200);
  return answer.body.actions as Array<Record<string, unknown>>;
}

async function allItems(batchId: string, key: string = KEYS.operator) {
  const items: Array<{ participantId: string; outcome: string; refusalCode: string | null; completedAt: string | null }> = [];
  for (let cursor: string | null = null; ; ) {
    const answer: { status: number; body: any } = await api('GET', `/v1/batch-actions/${batchId}/items?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key });
    expect(answer.status).toBe(200);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    if (cursor === null) return items;
  }
}

describe('batch actions by filter', () => {
  it('resends the verification mail to everyone awaiting it in one wave, with progress, and is cancelled half-way with every outcome recorded', async () => {
    const { wave, members } = await cohortAwaitingEmail(6);
    const memberIds = members.map(({ participantId }) => participantId).sort();
    const filter = { stage: 'AWAITING_EMAIL_VERIFICATION', wave: wave.number };

    const preview = await api('POST', '/v1/batch-actions/previews', { key: KEYS.operator, body: { filter } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ count: 6, confirmationRequired: true, confirmationThreshold: 5 });
    expect([...preview.body.sample].sort()).toEqual(memberIds);

    // One participant per second: half-way is seconds long, long enough to watch and to cancel in.
    const requested = await api('POST', '/v1/batch-actions', {
      key: KEYS.operator,
      body: { action: 'RESEND_VERIFICATION_EMAIL', filter, reason: 'mail provider lost the first mails (incident 17)', ratePerSecond: 1 },
    });
    expect(requested.status).toBe(201);
    const batchId: string = requested.body.batchId;
    expect(requested.body).toMatchObject({
      status: 'AWAITING_CONFIRMATION',
      requestedBy: 'dev-operator',
      confirmation: { required: true, confirmedBy: null },
      progress: { total: 6, done: 0, remaining: 6 },
    });

    // Over the threshold: the operator who asked may not confirm it; nothing has started.
    const selfConfirmed = await control(batchId, 'confirmation');
    expect(selfConfirmed.status).toBe(403);
    expect(selfConfirmed.body.error.code).toBe('SECOND_OPERATOR_REQUIRED');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await batchAction(batchId)).body).toMatchObject({ status: 'AWAITING_CONFIRMATION', progress: { done: 0, remaining: 6 } });

    const confirmed = await api('POST', `/v1/batch-actions/${batchId}/confirmation`, { key: secondOperator });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'RUNNING', confirmation: { required: true, confirmedBy: 'Rina (second operator)' } });

    // Progress while it runs, read by an auditor as well.
    const underway = await waitForBatch(batchId, 'some done, some remaining', (batch) => batch.progress.done >= 1 && batch.progress.remaining > 0);
    expect(underway.status).toBe('RUNNING');
    expect((await batchAction(batchId, AUDITOR_KEY)).status).toBe(200);

    // Paused, it applies nothing more until resumed.
    expect((await control(batchId, 'pause')).status).toBe(202);
    const paused = await waitForBatch(batchId, 'paused', (batch) => batch.status === 'PAUSED');
    expect(paused.progress.remaining).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await batchAction(batchId)).body.progress.done).toBe(paused.progress.done);
    const pausedAgain = await control(batchId, 'pause');
    expect(pausedAgain.status).toBe(409);
    expect(pausedAgain.body.error.code).toBe('BATCH_NOT_RUNNING');

    expect((await control(batchId, 'resumption')).status).toBe(202);
    await waitForBatch(batchId, 'running again', (batch) => batch.status === 'RUNNING');
    // The next page is applied by a new run (one page per run in the test stack, continued as new
    // once resumed); a cancellation that reached the old run first would rightly end it there.
    await waitForBatch(batchId, 'the next page under way', (batch) => batch.progress.done > paused.progress.done);

    // Half-way: cancelled with a reason, the members not reached are recorded as cancelled.
    const cancellation = await control(batchId, 'cancellation', { reason: 'the provider resent the mails itself' });
    expect(cancellation.status).toBe(202);
    const cancelled = await waitForBatch(batchId, 'cancelled', (batch) => batch.status === 'CANCELLED');
    const { progress } = cancelled;
    expect(progress.total).toBe(6);
    expect(progress.remaining).toBe(0);
    expect(progress.refused + progress.failed).toBe(0);
    expect(progress.done).toBeGreaterThanOrEqual(1);
    expect(progress.cancelled).toBeGreaterThanOrEqual(1);
    expect(progress.done + progress.cancelled).toBe(6);
    expect(cancelled).toMatchObject({ statusChangedBy: 'dev-operator', cancellationReason: 'the provider resent the mails itself', completedAt: expect.any(String) });
    expect((await control(batchId, 'resumption')).body.error.code).toBe('BATCH_FINISHED');
    // One page per run in the test stack (BATCH_ACTION_PAGES_PER_RUN): the history stayed bounded.
    const temporal = await connectTestTemporal();
    try {
      const runs = await eventually(async () => {
        const statuses: string[] = [];
        for await (const run of temporal.client.workflow.list({ query: `WorkflowId = '${batchActionWorkflowId(batchId)}'` })) statuses.push(run.status.name);
        return statuses.includes('COMPLETED') ? statuses : undefined;
      }, 'the batch workflow\'s runs to be listed');
      expect(runs).toContain('CONTINUED_AS_NEW');
    } finally {
      await temporal.close();
    }

    // Each member's outcome, paged; the done ones in their own audit trail with the batch id and
    // the mail sent again; the cancelled ones untouched.
    const items = await allItems(batchId, AUDITOR_KEY);
    expect(items.map(({ participantId }) => participantId)).toEqual(memberIds);
    for (const item of items) {
      expect(['DONE', 'CANCELLED']).toContain(item.outcome);
      expect(item.completedAt).toEqual(expect.any(String));
      const member = members.find(({ participantId }) => participantId === item.participantId)!;
      const trail = await auditTrail(item.participantId);
      const mails = await sim<unknown[]>('GET', `/sim/mail?to=${encodeURIComponent(member.registration.email)}`);
      if (item.outcome === 'DONE') {
        expect(trail).toEqual([
          expect.objectContaining({
            batchId,
            kind: 'RESEND_VERIFICATION_EMAIL',
            actor: 'dev-operator',
            reason: 'mail provider lost the first mails (incident 17)',
            outcome: 'DONE',
            before: { stage: 'AWAITING_EMAIL_VERIFICATION', payoutBlocked: null },
          }),
        ]);
        await eventually(async () => ((await sim<unknown[]>('GET', `/sim/mail?to=${encodeURIComponent(member.registration.email)}`)).body.length === 2 ? true : undefined), 'the mail sent again');
      } else {
        expect(trail).toEqual([]);
        expect(mails.body).toHaveLength(1);
      }
    }
    const done = await api('GET', `/v1/batch-actions/${batchId}/items?outcome=DONE`, { key: KEYS.operator });
    expect(done.body.items).toHaveLength(progress.done);

    const listed = await api('GET', '/v1/batch-actions?status=CANCELLED', { key: AUDITOR_KEY });
    expect(listed.status).toBe(200);
    expect(listed.body.batchActions.map((batch: { batchId: string }) => batch.batchId)).toContain(batchId);
  });

  it('starts a batch under the threshold at once, and records the journey\'s refusals and each accepted cancellation', async () => {
    const { wave, members } = await cohortAwaitingEmail(2);
    const filter = { stage: 'AWAITING_EMAIL_VERIFICATION', wave: wave.number };

    // Nothing is blocked: every journey refuses the retry, and says why.
    const retry = await api('POST', '/v1/batch-actions', { key: KEYS.operator, body: { action: 'RETRY_PAYOUT', filter, reason: 'provider fixed the outage' } });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ status: 'RUNNING', confirmation: { required: false, confirmedBy: null }, progress: { total: 2 } });
    const retried = await waitForBatch(retry.body.batchId, 'completed', (batch) => batch.status === 'COMPLETED');
    expect(retried.progress).toEqual({ total: 2, done: 0, refused: 2, failed: 0, cancelled: 0, remaining: 0 });
    expect((await allItems(retry.body.batchId)).map(({ refusalCode }) => refusalCode)).toEqual(['PAYOUT_NOT_BLOCKED', 'PAYOUT_NOT_BLOCKED']);

    const cancel = await api('POST', '/v1/batch-actions', { key: KEYS.operator, body: { action: 'CANCEL', filter, reason: 'registrations from a fraud ring' } });
    expect(cancel.status).toBe(201);
    const cancelled = await waitForBatch(cancel.body.batchId, 'completed', (batch) => batch.status === 'COMPLETED');
    expect(cancelled.progress).toMatchObject({ total: 2, done: 2, remaining: 0 });
    for (const { participantId } of members) {
      const ended = await waitForStage(participantId, 'CANCELLED');
      expect(ended.exit.by).toBe('dev-operator');
      expect(await auditTrail(participantId)).toEqual([
        expect.objectContaining({ batchId: retry.body.batchId, kind: 'RETRY_PAYOUT', outcome: 'REFUSED', refusalCode: 'PAYOUT_NOT_BLOCKED' }),
        expect.objectContaining({ batchId: cancel.body.batchId, kind: 'CANCEL', outcome: 'DONE', after: { stage: 'CANCELLED', payoutBlocked: null } }),
      ]);
    }
  });

  it('creates and starts nothing for a filter that matches nobody, a missing reason or an invalid filter', async () => {
    const batchesBefore = await prisma.batchAction.count();
    const wave = await createOpenWave({ opensAt: new Date().toISOString() });
    const nobody = { stage: 'TAKING_SURVEYS', wave: wave.number };
    const matchesNothing = await api('POST', '/v1/batch-actions', { key: KEYS.operator, body: { action: 'CANCEL', filter: nobody, reason: 'clean-up' } });
    expect(matchesNothing.status).toBe(422);
    expect(matchesNothing.body.error.code).toBe('BATCH_FILTER_MATCHES_NOTHING');
    expect((await api('POST', '/v1/batch-actions/previews', { key: KEYS.operator, body: { filter: nobody } })).body.count).toBe(0);

    for (const reason of [undefined, '   ']) {
      const noReason = await api('POST', '/v1/batch-actions', { key: KEYS.operator, body: { action: 'CANCEL', filter: { stage: 'AWAITING_EMAIL_VERIFICATION' }, reason } });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error).toMatchObject({ code: 'REASON_REQUIRED', fields: { reason: expect.any(String) } });
    }

    const invalid = [
      [{ action: 'CANCEL', filter: {}, reason: 'r' }, 'filter'],
      [{ action: 'CANCEL', filter: { stage: 'SOMEWHERE' }, reason: 'r' }, 'filter.stage'],
      [{ action: 'CANCEL', filter: { stage: 'ELIGIBLE', colour: 'red' }, reason: 'r' }, 'filter'],
      [{ action: 'CANCEL', filter: { wave: 999_999_999 }, reason: 'r' }, 'filter.wave'],
      [{ action: 'RESET_EVERYTHING', filter: { stage: 'ELIGIBLE' }, reason: 'r' }, 'action'],
      [{ action: 'CANCEL', filter: { stage: 'ELIGIBLE' }, reason: 'r', ratePerSecond: 1_000_000 }, 'ratePerSecond'],
    ] as const;
    for (const [body, field] of invalid) {
      const answer = await api('POST', '/v1/batch-actions', { key: KEYS.operator, body });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { [field]: expect.any(String) } });
    }
    expect(await prisma.batchAction.count()).toBe(batchesBefore);
  });

  it('lets only operators act on batches; auditors read them', async () => {
    const { wave } = await cohortAwaitingEmail(1);
    const requested = await api('POST', '/v1/batch-actions', {
      key: KEYS.operator,
      body: { action: 'RESEND_VERIFICATION_EMAIL', filter: { stage: 'AWAITING_EMAIL_VERIFICATION', wave: wave.number }, reason: 'roles check' },
    });
    expect(requested.status).toBe(201);
    const batchId = requested.body.batchId;
    for (const key of [AUDITOR_KEY, KEYS.programManager, KEYS.backend]) {
      for (const [path, body] of [
        ['/v1/batch-actions/previews', { filter: { stage: 'ELIGIBLE' } }],
        ['/v1/batch-actions', { action: 'CANCEL', filter: { stage: 'ELIGIBLE' }, reason: 'r' }],
        [`/v1/batch-actions/${batchId}/confirmation`, {}],
        [`/v1/batch-actions/${batchId}/pause`, {}],
        [`/v1/batch-actions/${batchId}/resumption`, {}],
        [`/v1/batch-actions/${batchId}/cancellation`, { reason: 'r' }],
      ] as const) {
        const answer = await api('POST', path, { key, body });
        expect(answer.status).toBe(403);
      }
    }
    for (const path of ['/v1/batch-actions', `/v1/batch-actions/${batchId}`, `/v1/batch-actions/${batchId}/items`]) {
      expect((await api('GET', path, { key: AUDITOR_KEY })).status).toBe(200);
      for (const key of [KEYS.programManager, KEYS.backend]) expect((await api('GET', path, { key })).status).toBe(403);
    }
    await waitForBatch(batchId, 'completed', (batch) => batch.status === 'COMPLETED');
  });
});
