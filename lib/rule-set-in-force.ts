// Which rule-set version decides at a given instant: the published (or since retired) version with
// the latest effectiveFrom at or before it, unless it was retired by then. The decision activity and
// the rule-set API both ask this, so "in force" means one thing everywhere.
import type { Prisma, PrismaClient } from './database';

type RuleSetReader = Pick<PrismaClient, 'ruleSet'> | Prisma.TransactionClient;

export function findRuleSetInForce(prisma: RuleSetReader, at: Date) {
  return prisma.ruleSet.findFirst({
    where: { status: { in: ['PUBLISHED', 'RETIRED'] }, effectiveFrom: { lte: at }, OR: [{ retiredAt: null }, { retiredAt: { gt: at } }] },
    orderBy: [{ effectiveFrom: 'desc' }, { version: 'desc' }],
  });
}
