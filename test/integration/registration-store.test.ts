// The registration store: group commit (signups that wait together share one statement, a taken
// NIK skips only its own row), refusal when no connection comes free in time, riding out a
// database restart (and a commit whose answer was lost), and the signal to
// the outbox relay that signups queue for a database connection (the relay then gives way). Rows are dated an hour ahead so that the test stack's own
// relay, which only takes rows older than now, never starts journeys for them.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { NikAlreadyRegisteredError, RegistrationStore, RegistrationStoreSaturatedError } from '../../api/registrations/registration-store';
import { DatabaseUnavailableError } from '../../lib/database';
import { connectTestDatabase } from '../support/clients';
import { readTestStack } from '../support/test-stack';

const prisma = connectTestDatabase();
// The stack's own database: the embedded PostgreSQL, or TEST_DATABASE_URL when set.
const databaseUrl = readTestStack().databaseUrl;

afterAll(() => prisma.$disconnect());

function registration(participantId: string, nikHash = `store-test-${participantId}`) {
  return {
    participantId,
    nikHash,
    personalData: 'sealed-elsewhere',
    personalDataKeyId: 'test',
    province: 'DKI Jakarta',
    employmentStatus: 'LAID_OFF' as const,
    microBusinessLostIncome: false,
    channel: 'SELF' as const,
    noticeChannel: 'EMAIL' as const,
    language: 'id',
    stage: 'AWAITING_EMAIL_VERIFICATION',
    registeredAt: new Date(Date.now() + 3_600_000),
  };
}

async function insertAll(store: RegistrationStore, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await Promise.all(ids.map((id) => store.insert(registration(id))));
  return ids;
}

async function remove(ids: string[]): Promise<void> {
  await prisma.workflowStartOutbox.deleteMany({ where: { participantId: { in: ids } } });
  await prisma.participant.deleteMany({ where: { id: { in: ids } } });
}

it('says signups queued when more registrations came at once than it has connections, and not otherwise', async () => {
  const roomy = new RegistrationStore(databaseUrl, { maxConnections: 10, connectionWaitMs: 5_000, maxBatchSize: 50 });
  const narrow = new RegistrationStore(databaseUrl, { maxConnections: 1, connectionWaitMs: 5_000, maxBatchSize: 50 });
  const ids: string[] = [];
  try {
    ids.push(...(await insertAll(roomy, 1)));
    expect(roomy.queuedWithin(60_000)).toBe(false);

    ids.push(...(await insertAll(narrow, 5)));
    expect(narrow.queuedWithin(60_000)).toBe(true);
    // The window closes: a moment ago is not within the last millisecond.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(narrow.queuedWithin(1)).toBe(false);
    expect(await prisma.participant.count({ where: { id: { in: ids } } })).toBe(6);
  } finally {
    await roomy.close();
    await narrow.close();
    await remove(ids);
  }
});

/** How many transactions wrote these participants: rows one transaction wrote share its xmin. */
async function transactionsThatWrote(ids: string[]): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ transactions: bigint }>>`SELECT count(DISTINCT xmin::text) AS transactions FROM "Participant" WHERE id = ANY(${ids}::uuid[])`;
  return Number(row!.transactions);
}

it('writes the signups that waited together in one statement, at most maxBatchSize each, and a taken NIK fails only its own', async () => {
  // One connection: the first signup goes alone, the rest wait for it and then share commits.
  const store = new RegistrationStore(databaseUrl, { maxConnections: 1, connectionWaitMs: 10_000, maxBatchSize: 10 });
  const ids = Array.from({ length: 31 }, () => randomUUID());
  const takenNik = `store-test-taken-${randomUUID()}`;
  const sharedNik = `store-test-shared-${randomUUID()}`;
  const earlier = randomUUID();
  try {
    await store.insert(registration(earlier, takenNik));
    // ids[5] takes a NIK registered before; ids[7] and ids[8] want the same NIK in one batch.
    const nikOf = (index: number) => (index === 5 ? takenNik : index === 7 || index === 8 ? sharedNik : undefined);
    const outcomes = await Promise.allSettled(ids.map((id, index) => store.insert(registration(id, nikOf(index)))));

    const refused = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [{ index, error: outcome.reason as Error }] : []));
    expect(refused.map(({ index }) => index)).toEqual([5, 8]);
    expect(refused.every(({ error }) => error instanceof NikAlreadyRegisteredError)).toBe(true);
    const written = ids.filter((_id, index) => index !== 5 && index !== 8);
    expect(await prisma.participant.count({ where: { id: { in: ids } } })).toBe(29);
    expect(await prisma.workflowStartOutbox.count({ where: { participantId: { in: ids } } })).toBe(29);
    expect(await prisma.workflowStartOutbox.count({ where: { participantId: { in: written } } })).toBe(29);
    // 1 alone, then 10 + 10 + 10 that waited for it.
    expect(await transactionsThatWrote(ids)).toBe(4);
  } finally {
    await store.close();
    await remove([...ids, earlier]);
  }
});

it('refuses, having written nothing, a signup that no connection takes within connectionWaitMs', async () => {
  // Another transaction holds the first signup's NIK uncommitted, so the first signup waits on it
  // (holding the only connection) until that transaction ends; the 20 behind it wait in the queue.
  const heldNik = `store-test-held-${randomUUID()}`;
  const holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(
    `INSERT INTO "Participant" ("id", "nikHash", "province", "employmentStatus", "channel", "stage", "updatedAt") VALUES ($1, $2, 'DKI Jakarta', 'LAID_OFF', 'SELF', 'AWAITING_EMAIL_VERIFICATION', now())`,
    [randomUUID(), heldNik],
  );
  const store = new RegistrationStore(databaseUrl, { maxConnections: 1, connectionWaitMs: 300, maxBatchSize: 50 });
  const ids = Array.from({ length: 21 }, () => randomUUID());
  const warmUp = randomUUID();
  try {
    // The connection opened first, so the wait below is all queue (opening one on a busy machine may take a while).
    await store.insert(registration(warmUp));
    const first = store.insert(registration(ids[0]!, heldNik));
    const rest = await Promise.allSettled(ids.slice(1).map((id) => store.insert(registration(id))));
    expect(rest.every((outcome) => outcome.status === 'rejected' && outcome.reason instanceof RegistrationStoreSaturatedError)).toBe(true);
    // The holder gives the NIK up: the first signup, which had its connection, is written.
    await holder.query('ROLLBACK');
    await first;
    expect(await prisma.participant.count({ where: { id: { in: ids } } })).toBe(1);
    expect(await prisma.workflowStartOutbox.count({ where: { participantId: { in: ids } } })).toBe(1);
  } finally {
    await holder.end();
    await store.close();
    await remove([...ids, warmUp]);
  }
});

/**
 * A TCP proxy to the database on a port of its own: closed until `open()` (connections refused,
 * as while PostgreSQL restarts), and, with `dropFirstInsertAnswer`, cutting the first connection
 * that sends the registration insert just as the database answers it (committed, never heard).
 */
async function databaseProxy(options: { dropFirstInsertAnswer: boolean }) {
  const target = new URL(databaseUrl);
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  let dropped = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    let insertSent = false;
    client.on('data', (chunk) => {
      if (chunk.includes('insert-registrations')) insertSent = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (options.dropFirstInsertAnswer && insertSent && !dropped) {
        dropped = true;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const proxiedUrl = new URL(databaseUrl);
  proxiedUrl.hostname = '127.0.0.1';
  proxiedUrl.port = String(port);
  return {
    url: proxiedUrl.toString(),
    open: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve())),
    wasDropped: () => dropped,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The participant and its outbox row, each once. */
async function expectWrittenOnce(participantId: string): Promise<void> {
  expect(await prisma.participant.count({ where: { id: participantId } })).toBe(1);
  expect(await prisma.workflowStartOutbox.count({ where: { participantId } })).toBe(1);
}

it('rides out a database that refuses connections for a moment (a restart): the signup is written, not refused', async () => {
  const proxy = await databaseProxy({ dropFirstInsertAnswer: false });
  const store = new RegistrationStore(proxy.url, { maxConnections: 2, connectionWaitMs: 5_000, maxBatchSize: 50 });
  const id = randomUUID();
  try {
    const inserted = store.insert(registration(id));
    // Refused for most of a second, then the database is back.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await proxy.open();
    await inserted;
    await expectWrittenOnce(id);
  } finally {
    await store.close();
    await proxy.close();
    await remove([id]);
  }
});

it('counts as written a signup whose commit went unheard (the connection cut as the database answered), not as a taken NIK', async () => {
  const proxy = await databaseProxy({ dropFirstInsertAnswer: true });
  await proxy.open();
  const store = new RegistrationStore(proxy.url, { maxConnections: 1, connectionWaitMs: 5_000, maxBatchSize: 50 });
  const id = randomUUID();
  try {
    await store.insert(registration(id));
    expect(proxy.wasDropped()).toBe(true);
    await expectWrittenOnce(id);
  } finally {
    await store.close();
    await proxy.close();
    await remove([id]);
  }
});

it('refuses with DATABASE_UNAVAILABLE, having waited connectionWaitMs, when the database stays away', async () => {
  const proxy = await databaseProxy({ dropFirstInsertAnswer: false });
  const store = new RegistrationStore(proxy.url, { maxConnections: 1, connectionWaitMs: 600, maxBatchSize: 50 });
  const id = randomUUID();
  try {
    const began = Date.now();
    await expect(store.insert(registration(id))).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(Date.now() - began).toBeGreaterThanOrEqual(300);
  } finally {
    await store.close();
    await proxy.close();
  }
});
