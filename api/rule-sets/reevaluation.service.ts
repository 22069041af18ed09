// Re-evaluations: a program manager asks for everyone in the program to be checked again against
// the version in force (after seeing its simulation). The request is recorded with its audit entry,
// then the rule-set-reevaluation workflow signals each journey and writes its progress to the row.
import type { Client } from '@temporalio/client';
import type { RuleSetReevaluation } from '../../generated/prisma/client';
import type { Config } from '../../lib/config';
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { findRuleSetInForce } from '../../lib/rule-set-in-force';
import { RULE_SET_REEVALUATION_WORKFLOW, ruleSetReevaluationWorkflowId, type RuleSetReevaluationInput } from '../../workflows/rule-set-reevaluation.definitions';
import { ConflictError, NotFoundError } from '../errors';
import { isUuid } from '../resource-ids';
import type { ReevaluationView } from './rule-set.schema';
import type { RuleSetService } from './rule-set.service';

const START_TIMEOUT_MS = 10_000;

export interface ReevaluationServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
  logger: Logger;
  now: () => Date;
  ruleSets: RuleSetService;
}

export class ReevaluationService {
  constructor(private readonly deps: ReevaluationServiceDependencies) {}

  async requestReevaluation(ruleSetId: string, reason: string, actor: string): Promise<ReevaluationView> {
    const { prisma, temporal, config, logger } = this.deps;
    const ruleSet = await this.deps.ruleSets.findRuleSet(prisma, ruleSetId);
    const inForce = await findRuleSetInForce(prisma, this.deps.now());
    // Only the version that decides now: re-checking against an older or a future one would record
    // decisions no new participant could get.
    if (ruleSet.status !== 'PUBLISHED' || inForce?.id !== ruleSet.id) {
      throw new ConflictError('RULE_SET_NOT_IN_FORCE', `Version ${ruleSet.version} is not the rule set in force; only that one can be re-applied`);
    }
    const reevaluation = await prisma.$transaction(async (tx) => {
      const created = await tx.ruleSetReevaluation.create({ data: { ruleSetId, reason, requestedBy: actor } });
      await tx.ruleSetAuditEntry.create({ data: { ruleSetId, action: 'REEVALUATION_REQUESTED', actor, diff: { reevaluationId: created.id, reason } } });
      return created;
    });
    const input: RuleSetReevaluationInput = { reevaluationId: reevaluation.id, ruleSetId, requestedBy: actor };
    try {
      await temporal.withDeadline(Date.now() + START_TIMEOUT_MS, () =>
        temporal.workflow.start(RULE_SET_REEVALUATION_WORKFLOW, {
          workflowId: ruleSetReevaluationWorkflowId(reevaluation.id),
          taskQueue: config.temporal.taskQueue,
          args: [input],
        }),
      );
    } catch (error) {
      // The request stays on record (and in the audit trail) as never started; asking again starts a new one.
      await prisma.ruleSetReevaluation.update({ where: { id: reevaluation.id }, data: { status: 'NOT_STARTED' } }).catch((updateError: unknown) => {
        logger.error({ err: updateError, reevaluationId: reevaluation.id }, 'could not mark the re-evaluation as not started');
      });
      throw error;
    }
    logger.info({ ruleSetId, reevaluationId: reevaluation.id, actor }, 're-evaluation started');
    return toView(reevaluation);
  }

  async getReevaluation(ruleSetId: string, reevaluationId: string): Promise<ReevaluationView> {
    const reevaluation = isUuid(ruleSetId) && isUuid(reevaluationId) ? await this.deps.prisma.ruleSetReevaluation.findUnique({ where: { id: reevaluationId } }) : null;
    if (!reevaluation || reevaluation.ruleSetId !== ruleSetId) throw new NotFoundError('REEVALUATION_NOT_FOUND', 'No such re-evaluation of this rule set');
    return toView(reevaluation);
  }
}

function toView(reevaluation: RuleSetReevaluation): ReevaluationView {
  const status = reevaluation.status === 'COMPLETED' || reevaluation.status === 'NOT_STARTED' ? reevaluation.status : 'RUNNING';
  return {
    reevaluationId: reevaluation.id,
    ruleSetId: reevaluation.ruleSetId,
    reason: reevaluation.reason,
    requestedBy: reevaluation.requestedBy,
    requestedAt: reevaluation.requestedAt.toISOString(),
    status,
    done: status !== 'RUNNING',
    participantsSignalled: reevaluation.participantsSignalled,
    journeysNotRunning: reevaluation.journeysNotRunning,
    completedAt: reevaluation.completedAt?.toISOString() ?? null,
  };
}
