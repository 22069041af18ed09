// Batch actions by filter. The filter is read from the participant table (the projection), which
// counts exactly and pages cheaply where visibility would not. A request fixes its members in one
// INSERT … SELECT inside its own transaction, so the count an operator saw is the count applied and
// every member gets an outcome. The batch-action workflow applies it; the database holds progress.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { BatchAction, BatchActionItemOutcome } from '../../generated/prisma/client';
import type { Config } from '../../lib/config';
import { Prisma, type PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { updateRefusalOf } from '../../lib/temporal/update-refusal';
import {
  BATCH_ACTION_REFUSALS,
  BATCH_ACTION_WORKFLOW,
  batchActionWorkflowId,
  cancelBatchUpdate,
  pauseBatchUpdate,
  resumeBatchUpdate,
  type BatchActionControl,
  type BatchActionInput,
} from '../../workflows/batch-action.definitions';
import { BatchFilterMatchesNothingError, ConflictError, NotFoundError, SecondOperatorRequiredError, ValidationError } from '../errors';
import type { Caller } from '../request-context';
import { isUuid } from '../resource-ids';
import {
  batchActionFilterSchema,
  type BatchActionFilter,
  type BatchActionItemsPage,
  type BatchActionItemsQuery,
  type BatchActionList,
  type BatchActionListQuery,
  type BatchActionPreview,
  type BatchActionRequest,
  type BatchActionView,
} from './batch-action.schema';

/** Workflow starts and updates are answered by the server and the worker; without them they would wait indefinitely. */
const TEMPORAL_TIMEOUT_MS = 10_000;
const SAMPLE_SIZE = 10;
/** Materialising a very large batch (a million members) takes seconds, more than Prisma's default 5 s. */
const MATERIALISE_TIMEOUT_MS = 120_000;

export interface BatchActionServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
  logger: Logger;
}

export class BatchActionService {
  constructor(private readonly deps: BatchActionServiceDependencies) {}

  async preview(filter: BatchActionFilter): Promise<BatchActionPreview> {
    const { prisma, config } = this.deps;
    const matches = await this.conditionOf(filter);
    const [counted, sample] = await Promise.all([
      prisma.$queryRaw<Array<{ count: number }>>`SELECT count(*)::int AS count FROM "Participant" p WHERE ${matches}`,
      prisma.$queryRaw<Array<{ id: string }>>`SELECT p.id FROM "Participant" p WHERE ${matches} ORDER BY p.id LIMIT ${SAMPLE_SIZE}`,
    ]);
    const count = counted[0]?.count ?? 0;
    return {
      count,
      sample: sample.map(({ id }) => id),
      confirmationRequired: count > config.batchActions.confirmationThreshold,
      confirmationThreshold: config.batchActions.confirmationThreshold,
      maxPerSecond: config.batchActions.maxPerSecond,
    };
  }

  /**
   * Creates the batch with its members, or nothing at all: a filter that matches nobody rolls the
   * transaction back. Over the threshold it waits for a second operator; otherwise it starts now.
   */
  async request(request: BatchActionRequest, caller: Caller): Promise<BatchActionView> {
    const { prisma, config, logger } = this.deps;
    const ratePerSecond = request.ratePerSecond ?? config.batchActions.maxPerSecond;
    if (ratePerSecond > config.batchActions.maxPerSecond) {
      throw new ValidationError('The request body is invalid', { ratePerSecond: `must be at most ${config.batchActions.maxPerSecond}` });
    }
    const matches = await this.conditionOf(request.filter);
    const batchId = randomUUID();
    const batch = await prisma.$transaction(
      async (tx) => {
        await tx.batchAction.create({
          data: {
            id: batchId,
            kind: request.action,
            filter: request.filter,
            reason: request.reason,
            requestedBy: caller.name,
            requestedByRole: caller.role,
            total: 0,
            confirmationRequired: false,
            ratePerSecond,
            status: 'AWAITING_CONFIRMATION',
            statusChangedBy: caller.name,
          },
        });
        const total = await tx.$executeRaw`
          INSERT INTO "BatchActionItem" ("batchId", "participantId")
          SELECT ${batchId}::uuid, p.id FROM "Participant" p WHERE ${matches}`;
        if (total === 0) throw new BatchFilterMatchesNothingError();
        const confirmationRequired = total > config.batchActions.confirmationThreshold;
        return tx.batchAction.update({ where: { id: batchId }, data: { total, confirmationRequired, status: confirmationRequired ? 'AWAITING_CONFIRMATION' : 'RUNNING' } });
      },
      { timeout: MATERIALISE_TIMEOUT_MS },
    );
    logger.info({ batchId, kind: batch.kind, total: batch.total, status: batch.status, by: caller.name }, 'batch action requested');
    if (batch.status === 'RUNNING') await this.startWorkflow(batch);
    return this.getBatchAction(batchId);
  }

  async confirm(batchId: string, caller: Caller): Promise<BatchActionView> {
    const batch = await this.findBatch(batchId);
    if (batch.status !== 'AWAITING_CONFIRMATION') throw new ConflictError('BATCH_NOT_AWAITING_CONFIRMATION', `The batch is ${batch.status}, not awaiting confirmation`);
    if (batch.requestedBy === caller.name) throw new SecondOperatorRequiredError();
    const now = new Date();
    // Only from AWAITING_CONFIRMATION: of two confirmations (or a confirmation and a cancellation) at once, one wins.
    const confirmed = await this.deps.prisma.batchAction.updateMany({
      where: { id: batchId, status: 'AWAITING_CONFIRMATION' },
      data: { status: 'RUNNING', confirmedBy: caller.name, confirmedAt: now, statusChangedBy: caller.name, statusChangedAt: now },
    });
    if (confirmed.count === 0) throw new ConflictError('BATCH_NOT_AWAITING_CONFIRMATION', 'The batch was confirmed or cancelled meanwhile');
    this.deps.logger.info({ batchId, by: caller.name }, 'batch action confirmed');
    await this.startWorkflow(batch);
    return this.getBatchAction(batchId);
  }

  async pause(batchId: string, caller: Caller): Promise<BatchActionView> {
    await this.control(batchId, (workflow) => workflow.executeUpdate(pauseBatchUpdate, { args: [{ by: caller.name }] }));
    return this.getBatchAction(batchId);
  }

  async resume(batchId: string, caller: Caller): Promise<BatchActionView> {
    await this.control(batchId, (workflow) => workflow.executeUpdate(resumeBatchUpdate, { args: [{ by: caller.name }] }));
    return this.getBatchAction(batchId);
  }

  /** Before its confirmation a batch has no workflow: it is cancelled here, its members with it. */
  async cancel(batchId: string, reason: string, caller: Caller): Promise<BatchActionView> {
    const batch = await this.findBatch(batchId);
    if (batch.status === 'AWAITING_CONFIRMATION') {
      const cancelled = await this.cancelUnstarted(batchId, caller.name, reason);
      if (cancelled) return this.getBatchAction(batchId);
    }
    await this.control(batchId, (workflow) => workflow.executeUpdate(cancelBatchUpdate, { args: [{ by: caller.name, reason }] }));
    return this.getBatchAction(batchId);
  }

  async list(query: BatchActionListQuery): Promise<BatchActionList> {
    const batches = await this.deps.prisma.batchAction.findMany({
      where: query.status ? { status: query.status } : {},
      orderBy: [{ requestedAt: 'desc' }, { id: 'asc' }],
      take: query.limit,
    });
    const counts = await this.outcomeCounts(batches.map(({ id }) => id));
    return { batchActions: batches.map((batch) => toView(batch, counts.get(batch.id))) };
  }

  async getBatchAction(batchId: string): Promise<BatchActionView> {
    const batch = await this.findBatch(batchId);
    return toView(batch, (await this.outcomeCounts([batch.id])).get(batch.id));
  }

  async items(batchId: string, query: BatchActionItemsQuery): Promise<BatchActionItemsPage> {
    await this.findBatch(batchId);
    const items = await this.deps.prisma.batchActionItem.findMany({
      where: { batchId, ...(query.outcome ? { outcome: query.outcome } : {}), ...(query.cursor ? { participantId: { gt: query.cursor } } : {}) },
      select: { participantId: true, outcome: true, refusalCode: true, completedAt: true },
      orderBy: { participantId: 'asc' },
      take: query.limit + 1,
    });
    const page = items.slice(0, query.limit);
    return {
      items: page.map((item) => ({ ...item, completedAt: item.completedAt?.toISOString() ?? null })),
      nextCursor: items.length > query.limit ? (page.at(-1)?.participantId ?? null) : null,
    };
  }

  /** The filter as SQL over "Participant" p; every value is a bound parameter. */
  private async conditionOf(filter: BatchActionFilter): Promise<Prisma.Sql> {
    const conditions: Prisma.Sql[] = [];
    if (filter.stage !== undefined) conditions.push(Prisma.sql`p.stage = ${filter.stage}`);
    if (filter.province !== undefined) conditions.push(Prisma.sql`p.province = ${filter.province}`);
    if (filter.ruleSetVersion !== undefined) conditions.push(Prisma.sql`p."ruleSetVersion" = ${filter.ruleSetVersion}`);
    if (filter.exitReason !== undefined) conditions.push(Prisma.sql`starts_with(p."exitReason", ${filter.exitReason})`);
    if (filter.wave !== undefined) {
      const wave = await this.deps.prisma.wave.findUnique({ where: { number: filter.wave }, select: { id: true, opensAt: true, closesAt: true, closedAt: true } });
      if (!wave) throw new ValidationError('The request body is invalid', { 'filter.wave': `there is no wave number ${filter.wave}` });
      // Before applying, a participant belongs to the wave open when they registered, as the funnel counts them.
      const windowEnd = wave.closedAt ?? wave.closesAt;
      conditions.push(Prisma.sql`(p."currentWaveId" = ${wave.id}::uuid OR (p."currentWaveId" IS NULL
        AND p."createdAt" >= ${wave.opensAt.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        AND p."createdAt" < ${windowEnd.toISOString()}::timestamptz AT TIME ZONE 'UTC'))`);
    }
    // The schema requires at least one criterion; checked again because "no condition" would mean everyone.
    if (conditions.length === 0) throw new ValidationError('The request body is invalid', { filter: 'must give at least one criterion' });
    return Prisma.join(conditions, ' AND ');
  }

  /**
   * A batch that cannot be started is recorded as cancelled (nothing was applied), so it never
   * shows as running without a workflow; asking again creates a new one.
   */
  private async startWorkflow(batch: BatchAction): Promise<void> {
    const { temporal, config, logger } = this.deps;
    const input: BatchActionInput = {
      batchId: batch.id,
      kind: batchActionKindOf(batch.kind),
      reason: batch.reason,
      requestedBy: { name: batch.requestedBy, role: batch.requestedByRole },
      ratePerSecond: batch.ratePerSecond,
      pagesPerRun: config.batchActions.pagesPerRun,
    };
    try {
      await temporal.withDeadline(Date.now() + TEMPORAL_TIMEOUT_MS, () =>
        temporal.workflow.start(BATCH_ACTION_WORKFLOW, { workflowId: batchActionWorkflowId(batch.id), taskQueue: config.temporal.taskQueue, args: [input] }),
      );
    } catch (error) {
      await this.cancelUnstarted(batch.id, 'system', 'The batch workflow could not be started', ['RUNNING']).catch((cancelError: unknown) => {
        logger.error({ err: cancelError, batchId: batch.id }, 'could not record the batch action as not started');
      });
      throw error;
    }
    logger.info({ batchId: batch.id }, 'batch action started');
  }

  private async cancelUnstarted(batchId: string, by: string, reason: string, from: Array<'AWAITING_CONFIRMATION' | 'RUNNING'> = ['AWAITING_CONFIRMATION']): Promise<boolean> {
    const { prisma } = this.deps;
    const now = new Date();
    return prisma.$transaction(async (tx) => {
      const cancelled = await tx.batchAction.updateMany({
        where: { id: batchId, status: { in: from } },
        data: { status: 'CANCELLED', statusChangedBy: by, statusChangedAt: now, cancellationReason: reason, completedAt: now },
      });
      if (cancelled.count === 0) return false;
      await tx.batchActionItem.updateMany({ where: { batchId, outcome: 'PENDING' }, data: { outcome: 'CANCELLED', completedAt: now } });
      return true;
    });
  }

  /** A control for the batch's workflow; its refusals (and a workflow already finished) are 409s. */
  private async control(batchId: string, send: (workflow: WorkflowHandle) => Promise<BatchActionControl>): Promise<void> {
    const batch = await this.findBatch(batchId);
    if (batch.status === 'COMPLETED' || batch.status === 'CANCELLED') throw new ConflictError('BATCH_FINISHED', `The batch is ${batch.status}`);
    if (batch.status === 'AWAITING_CONFIRMATION') throw new ConflictError('BATCH_NOT_RUNNING', 'The batch has not been confirmed yet');
    const { temporal } = this.deps;
    try {
      await temporal.withDeadline(Date.now() + TEMPORAL_TIMEOUT_MS, () => send(temporal.workflow.getHandle(batchActionWorkflowId(batchId))));
    } catch (error) {
      const refusal = updateRefusalOf(error, (type) => BATCH_ACTION_REFUSALS.has(type));
      if (refusal) throw new ConflictError(refusal.type, refusal.message);
      if (error instanceof WorkflowNotFoundError) throw new ConflictError('BATCH_FINISHED', 'The batch has finished');
      throw error;
    }
    this.deps.logger.info({ batchId }, 'batch action control accepted');
  }

  private async findBatch(batchId: string): Promise<BatchAction> {
    const batch = isUuid(batchId) ? await this.deps.prisma.batchAction.findUnique({ where: { id: batchId } }) : null;
    if (!batch) throw new NotFoundError('BATCH_ACTION_NOT_FOUND', 'No such batch action');
    return batch;
  }

  private async outcomeCounts(batchIds: string[]): Promise<Map<string, Partial<Record<BatchActionItemOutcome, number>>>> {
    const counts = new Map<string, Partial<Record<BatchActionItemOutcome, number>>>();
    if (batchIds.length === 0) return counts;
    const groups = await this.deps.prisma.batchActionItem.groupBy({ by: ['batchId', 'outcome'], where: { batchId: { in: batchIds } }, _count: { _all: true } });
    for (const group of groups) counts.set(group.batchId, { ...counts.get(group.batchId), [group.outcome]: group._count._all });
    return counts;
  }
}

function batchActionKindOf(kind: BatchAction['kind']): BatchActionInput['kind'] {
  if (kind === 'CANCEL' || kind === 'RESEND_VERIFICATION_EMAIL' || kind === 'RETRY_PAYOUT') return kind;
  throw new Error(`A batch action cannot be ${kind}`);
}

function toView(batch: BatchAction, counts: Partial<Record<BatchActionItemOutcome, number>> = {}): BatchActionView {
  return {
    batchId: batch.id,
    action: batchActionKindOf(batch.kind),
    filter: batchActionFilterSchema.parse(batch.filter),
    reason: batch.reason,
    requestedBy: batch.requestedBy,
    requestedByRole: batch.requestedByRole,
    requestedAt: batch.requestedAt.toISOString(),
    ratePerSecond: batch.ratePerSecond,
    status: batch.status,
    statusChangedBy: batch.statusChangedBy,
    statusChangedAt: batch.statusChangedAt.toISOString(),
    confirmation: { required: batch.confirmationRequired, confirmedBy: batch.confirmedBy, confirmedAt: batch.confirmedAt?.toISOString() ?? null },
    cancellationReason: batch.cancellationReason,
    completedAt: batch.completedAt?.toISOString() ?? null,
    progress: {
      total: batch.total,
      done: counts.DONE ?? 0,
      refused: counts.REFUSED ?? 0,
      failed: counts.FAILED ?? 0,
      cancelled: counts.CANCELLED ?? 0,
      remaining: counts.PENDING ?? 0,
    },
  };
}
