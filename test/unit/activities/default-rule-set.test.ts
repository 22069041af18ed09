// Seeding the default rule set tolerates exactly one failure: another worker seeding it first.
import { ensureDefaultRuleSet } from '../../../activities/eligibility';
import { Prisma, type PrismaClient } from '../../../lib/database';

/** A database with no rule set yet, whose insert fails with `error`. */
function databaseWhoseSeedFails(error: Error): PrismaClient {
  const ruleSet = {
    count: () => Promise.resolve(0),
    create: () => Promise.reject(error),
  };
  return { ruleSet } as unknown as PrismaClient;
}

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
