// The outbox relay against the real PostgreSQL: several relays (as in several API processes)
// draining one backlog start every row exactly once, and a row whose start fails waits out its
// backoff while the rest go on, the relay gives way to signups queueing, and a claim reads its
// batch from an index however long the backlog. The starts go to a recording starter, not Temporal: what is under
// test is the claiming (FOR UPDATE SKIP LOCKED, leases), not the journey.
//
// The rows are dated an hour ahead and these relays look that far ahead (a negative minimum age):
// the test stack's own relay, which only takes rows older than now, never sees them.
import { randomUUID } from 'node:crypto';
import { claimStatement, WorkflowStartRelay } from '../../api/registrations/workflow-start-relay';
import { Prisma } from '../../lib/database';
import { createLogger } from '../../lib/logger';
import type { ParticipantJourneyInput } from '../../workflows/participant-journey.definitions';
import { connectTestDatabase } from '../support/clients';
import { eventually } from '../support/http';

const prisma = connectTestDatabase();
const logger = createLogger('relay-test', 'silent');
const AHEAD_MS = 3_600_000;
const relayOptions = { minimumAgeMs: -2 * AHEAD_MS, batchSize: 25, concurrency: 5, intervalMs: 1_000, maxBackoffMs: 60_000, startTimeoutMs: 1_000 };

afterAll(() => prisma.$disconnect());

async function seedBacklog(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const createdAt = new Date(Date.now() + AHEAD_MS);
  await prisma.participant.createMany({
    data: ids.map((id) => ({ id, nikHash: `relay-test-${id}`, province: 'DKI Jakarta', employmentStatus: 'LAID_OFF', channel: 'SELF', stage: 'AWAITING_EMAIL_VERIFICATION', createdAt })),
  });
  await prisma.workflowStartOutbox.createMany({ data: ids.map((participantId) => ({ participantId, createdAt })) });
  return ids;
}

async function removeBacklog(ids: string[]): Promise<void> {
  await prisma.workflowStartOutbox.deleteMany({ where: { participantId: { in: ids } } });
  await prisma.participant.deleteMany({ where: { id: { in: ids } } });
}

/** Records every start; `fails` says which participants Temporal refuses. */
function recordingStarter(starts: string[], fails: (participantId: string) => boolean = () => false) {
  return {
    async startWorkflow(input: ParticipantJourneyInput) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      if (fails(input.participantId)) throw new Error('Temporal said no');
      starts.push(input.participantId);
    },
  };
}

it('three relays draining one backlog start each row exactly once', async () => {
  const ids = await seedBacklog(300);
  try {
    const starts: string[] = [];
    const relays = [1, 2, 3].map(() => new WorkflowStartRelay({ prisma, logger, journeyStarter: recordingStarter(starts) }, relayOptions));
    const drain = async (relay: WorkflowStartRelay) => {
      while ((await relay.relayOnce()) > 0);
    };
    await Promise.all(relays.map(drain));

    expect(starts.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    const rows = await prisma.workflowStartOutbox.findMany({ where: { participantId: { in: ids } } });
    expect(rows.filter((row) => row.startedAt === null)).toEqual([]);
    expect(rows.filter((row) => row.attempts !== 1 || row.claimedUntil !== null || row.lastError !== null)).toEqual([]);
  } finally {
    await removeBacklog(ids);
  }
});

it('a failed start waits out its backoff; the rows the failed pass never tried go back at once', async () => {
  const ids = await seedBacklog(30);
  const failing = ids[0]!;
  try {
    const starts: string[] = [];
    // One at a time, so the pass stops at the failing row with the others untried.
    const relay = new WorkflowStartRelay({ prisma, logger, journeyStarter: recordingStarter(starts, (id) => id === failing) }, { ...relayOptions, concurrency: 1, batchSize: 100, intervalMs: 10_000 });
    const failedAt = Date.now();
    await expect(relay.relayOnce()).rejects.toThrow('Temporal said no');

    const failed = await prisma.workflowStartOutbox.findUniqueOrThrow({ where: { participantId: failing } });
    expect(failed).toMatchObject({ attempts: 1, startedAt: null, lastError: 'Error: Temporal said no' });
    expect(failed.claimedUntil!.getTime()).toBeGreaterThanOrEqual(failedAt + 10_000 - 50);

    // The next passes start everything else and leave the failed row alone while it waits.
    while ((await relay.relayOnce()) > 0);
    expect(new Set(starts)).toEqual(new Set(ids.filter((id) => id !== failing)));
    const waiting = await prisma.workflowStartOutbox.findMany({ where: { participantId: { in: ids }, startedAt: null } });
    expect(waiting.map((row) => row.participantId)).toEqual([failing]);
  } finally {
    await removeBacklog(ids);
  }
});

it('gives way to signups queueing for the database, for at most maxYieldMs in a row', async () => {
  const ids = await seedBacklog(10);
  let signupsQueueing = true;
  const starts: string[] = [];
  const relay = new WorkflowStartRelay(
    { prisma, logger, journeyStarter: recordingStarter(starts), signupsQueueing: () => signupsQueueing },
    { ...relayOptions, intervalMs: 50, maxYieldMs: 60_000 },
  );
  try {
    relay.start();
    // Ten passes' worth of time: every one was put off.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(starts).toEqual([]);

    signupsQueueing = false;
    await eventually(async () => (ids.every((id) => starts.includes(id)) ? true : undefined), 'the backlog started once signups stopped queueing', 10_000);
  } finally {
    await relay.stop();
    await removeBacklog(ids);
  }
});

it('keeps starting through a sustained peak, one pass per maxYieldMs', async () => {
  const ids = await seedBacklog(10);
  const starts: string[] = [];
  const relay = new WorkflowStartRelay({ prisma, logger, journeyStarter: recordingStarter(starts), signupsQueueing: () => true }, { ...relayOptions, intervalMs: 50, maxYieldMs: 300 });
  try {
    relay.start();
    await eventually(async () => (ids.every((id) => starts.includes(id)) ? true : undefined), 'the backlog started despite the peak', 10_000);
  } finally {
    await relay.stop();
    await removeBacklog(ids);
  }
});

/** Every node of an EXPLAIN (FORMAT JSON) plan, init plans and CTEs included. */
function planNodes(node: { Plans?: unknown[] }): Array<{ 'Node Type': string; 'Index Name'?: string }> {
  return [node as { 'Node Type': string }, ...(node.Plans ?? []).flatMap((child) => planNodes(child as { Plans?: unknown[] }))];
}

it('claims its batch in index order, without reading and sorting the whole backlog', async () => {
  // A backlog as after an outage; the planner sees its size once the table is analysed.
  const ids = await seedBacklog(5_000);
  try {
    await prisma.$executeRaw`ANALYZE "WorkflowStartOutbox"`;
    const now = new Date();
    const claim = claimStatement({ now, createdBefore: new Date(now.getTime() + 2 * AHEAD_MS), leaseUntil: new Date(now.getTime() + 60_000), batchSize: 200 });
    const [explained] = await prisma.$queryRaw<Array<{ 'QUERY PLAN': Array<{ Plan: { Plans?: unknown[] } }> }>>(Prisma.sql`EXPLAIN (FORMAT JSON) ${claim}`);
    const nodes = planNodes(explained!['QUERY PLAN'][0]!.Plan);

    expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
    expect(nodes.map((node) => node['Index Name'])).toContain('WorkflowStartOutbox_unstarted_idx');
  } finally {
    await removeBacklog(ids);
  }
});
