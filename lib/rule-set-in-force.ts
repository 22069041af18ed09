// Which published rule-set version is in force at an instant: the one definition that the
// eligibility decision and the rule-set simulation's baseline both use.
import type { PrismaClient } from './database';

/** The latest published (or since retired) version whose effective period contains `at`, or null. */
export function findRuleSetInForce(prisma: PrismaClient, at: Date) {
  return prisma.ruleSet.findFirst({
    where: { status: { in: ['PUBLISHED', 'RETIRED'] }, effectiveFrom: { lte: at }, OR: [{ retiredAt: null }, { retiredAt: { gt: at } }] },
    orderBy: [{ effectiveFrom: 'desc' }, { version: 'desc' }],
  });
}
