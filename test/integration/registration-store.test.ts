// The registration store tells the outbox relay when signups queue for a database connection
// (the relay then gives way to them). Rows are dated an hour ahead so that the test stack's own
// relay, which only takes rows older than now, never starts journeys for them.
import { randomUUID } from 'node:crypto';
import { RegistrationStore } from '../../api/registrations/registration-store';
import { connectTestDatabase } from '../support/clients';

const prisma = connectTestDatabase();
const databaseUrl = process.env.TEST_DATABASE_URL!;

afterAll(() => prisma.$disconnect());

function registration(participantId: string) {
  return {
    participantId,
    nikHash: `store-test-${participantId}`,
    personalData: 'sealed-elsewhere',
    personalDataKeyId: 'test',
    province: 'DKI Jakarta',
    employmentStatus: 'LAID_OFF' as const,
    microBusinessLostIncome: false,
    channel: 'SELF' as const,
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
  const roomy = new RegistrationStore(databaseUrl, { maxConnections: 10, connectionWaitMs: 5_000 });
  const narrow = new RegistrationStore(databaseUrl, { maxConnections: 1, connectionWaitMs: 5_000 });
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
