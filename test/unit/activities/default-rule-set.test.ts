// Seeding the default rule set: on a first start only (nothing ever published, whatever drafts
// exist), and tolerating exactly one failure: another worker seeding it first.
import { DEFAULT_RULE_SET_NAME, ensureDefaultRuleSet } from '../../../activities/eligibility';
import { Prisma, type PrismaClient } from '../../../lib/database';

/** A database with `published` versions published or retired, the default's name at `latestVersion`, whose insert does `create`. */
function database({ published = 0, latestVersion, create }: { published?: number; latestVersion?: number; create: (args: unknown) => Promise<unknown> }): PrismaClient {
  const ruleSet = {
    count: (args: { where?: { status?: { in?: string[] } } }) => Promise.resolve(args?.where?.status?.in?.includes('PUBLISHED') ? published : published + 5),
    findFirst: () => Promise.resolve(latestVersion === undefined ? null : { version: latestVersion }),
    create,
  };
  return { ruleSet } as unknown as PrismaClient;
}

const databaseWhoseSeedFails = (error: Error) => database({ create: () => Promise.reject(error) });

it('seeds when only drafts exist (written before the first worker started), as the next version of its name', async () => {
  const create = jest.fn((_args: unknown) => Promise.resolve({}));
  await ensureDefaultRuleSet(database({ latestVersion: 2, create }));
  expect(create).toHaveBeenCalledTimes(1);
  expect(create.mock.calls[0]![0]).toMatchObject({ data: { name: DEFAULT_RULE_SET_NAME, version: 3, status: 'PUBLISHED', createdBy: 'system' } });
});

it('seeds nothing once a version was published', async () => {
  const create = jest.fn((_args: unknown) => Promise.resolve({}));
  await ensureDefaultRuleSet(database({ published: 1, create }));
  expect(create).not.toHaveBeenCalled();
});

it('leaves the seeding to the worker that won the race', async () => {
  const anotherWorkerSeededFirst = new Prisma.PrismaClientKnownRequestError('Unique constraint failed on the fields: (`name`,`version`)', { code: 'P2002', clientVersion: 'test' });
  await expect(ensureDefaultRuleSet(databaseWhoseSeedFails(anotherWorkerSeededFirst))).resolves.toBeUndefined();
});

it('rethrows any other failure, so the worker does not start without rules', async () => {
  const tableMissing = new Prisma.PrismaClientKnownRequestError('The table `public.RuleSet` does not exist', { code: 'P2021', clientVersion: 'test' });
  await expect(ensureDefaultRuleSet(databaseWhoseSeedFails(tableMissing))).rejects.toBe(tableMissing);
  const connectionLost = new Error('Connection terminated unexpectedly');
  await expect(ensureDefaultRuleSet(databaseWhoseSeedFails(connectionLost))).rejects.toBe(connectionLost);
});
