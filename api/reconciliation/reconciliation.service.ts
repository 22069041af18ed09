// Payment reconciliation as operators see it: a day's totals, its discrepancies as cases, a day
// reconciled on demand (the work is the workflow's: workflows/daily-reconciliation.ts), and
// closing a case, each closing written to an append-only record of who, when, why, before and after.
import type { Client } from '@temporalio/client';
import type { ReconciliationDiscrepancy, ReconciliationResolution } from '../../generated/prisma/client';
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { startOfProgramDay } from '../../lib/program-day';
import { DAILY_RECONCILIATION_WORKFLOW, reconciliationWorkflowId, type DailyReconciliationInput } from '../../workflows/daily-reconciliation.definitions';
import { ConflictError, DayNotReconciledError, NotFoundError, UnprocessableError } from '../errors';
import { isUuid } from '../resource-ids';
import { resolutionActionSchema, type DiscrepanciesPage, type DiscrepanciesQuery, type DiscrepancyView, type ReconciliationDayView } from './reconciliation.schema';

export interface ReconciliationServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  /** The task queue the engine's workflows run on (TEMPORAL_TASK_QUEUE). */
  taskQueue: string;
  logger: Logger;
  now: () => Date;
}

const TEMPORAL_CALL_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

/** A day as the DATE columns hold it. */
const dateColumn = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** What closing a case does: an operator's resolution, or the override that accepts the provider's figure. */
export type DiscrepancyClosing = 'RESOLVE' | 'OVERRIDE';
const STATUS_AFTER = { RESOLVE: 'RESOLVED', OVERRIDE: 'OVERRIDDEN' } as const;

export class ReconciliationService {
  constructor(private readonly deps: ReconciliationServiceDependencies) {}

  async getDay(day: string): Promise<ReconciliationDayView> {
    const [run, open] = await Promise.all([
      this.deps.prisma.reconciliationRun.findUnique({ where: { day: dateColumn(day) } }),
      this.deps.prisma.reconciliationDiscrepancy.count({ where: { day: dateColumn(day), status: 'OPEN' } }),
    ]);
    if (!run) throw new DayNotReconciledError(day);
    return {
      day,
      status: run.status,
      statementLines: run.statementLines,
      matched: { count: run.matchedCount, rupiah: Number(run.matchedAmount) },
      unmatched: { count: run.unmatchedCount, rupiah: Number(run.unmatchedAmount) },
      open,
      startedAt: run.startedAt.toISOString(),
      completedAt: run.completedAt?.toISOString() ?? null,
    };
  }

  /** Starts the day's reconciliation, or joins the run already going for it. */
  async startRun(day: string, startedBy: string): Promise<{ day: string; workflowId: string }> {
    if (startOfProgramDay(day).getTime() + DAY_MS > this.deps.now().getTime()) {
      throw new UnprocessableError('DAY_NOT_OVER', `${day} has not ended yet in WIB: its statement is not final`);
    }
    const workflowId = reconciliationWorkflowId(day);
    await this.deps.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
      this.deps.temporal.workflow.start(DAILY_RECONCILIATION_WORKFLOW, {
        workflowId,
        taskQueue: this.deps.taskQueue,
        args: [{ day } satisfies DailyReconciliationInput],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    );
    this.deps.logger.info({ day, workflowId, startedBy }, 'reconciliation started on demand');
    return { day, workflowId };
  }

  /** A page of the day's cases by id; a day never reconciled is a 404, not an empty list. */
  async listDiscrepancies(day: string, query: DiscrepanciesQuery): Promise<DiscrepanciesPage> {
    const run = await this.deps.prisma.reconciliationRun.findUnique({ where: { day: dateColumn(day) }, select: { day: true } });
    if (!run) throw new DayNotReconciledError(day);
    const rows = await this.deps.prisma.reconciliationDiscrepancy.findMany({
      where: { day: dateColumn(day), kind: query.kind, status: query.status, ...(query.cursor ? { id: { gt: query.cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: query.limit + 1,
      include: { resolutions: { orderBy: { at: 'asc' } } },
    });
    const page = rows.slice(0, query.limit);
    return { discrepancies: page.map(toView), nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
  }

  async getDiscrepancy(id: string): Promise<DiscrepancyView> {
    const found = isUuid(id)
      ? await this.deps.prisma.reconciliationDiscrepancy.findUnique({ where: { id }, include: { resolutions: { orderBy: { at: 'asc' } } } })
      : null;
    if (!found) throw discrepancyNotFound();
    return toView(found);
  }

  /** Closes an open case; a case already closed is a 409, never closed twice. */
  async closeDiscrepancy(id: string, closing: DiscrepancyClosing, reason: string, actor: string): Promise<DiscrepancyView> {
    if (!isUuid(id)) throw discrepancyNotFound();
    const statusAfter = STATUS_AFTER[closing];
    await this.deps.prisma.$transaction(async (tx) => {
      const { count } = await tx.reconciliationDiscrepancy.updateMany({ where: { id, status: 'OPEN' }, data: { status: statusAfter } });
      if (count === 0) {
        const existing = await tx.reconciliationDiscrepancy.findUnique({ where: { id }, select: { status: true } });
        if (!existing) throw discrepancyNotFound();
        throw new ConflictError('DISCREPANCY_CLOSED', `The discrepancy is already ${existing.status.toLowerCase()}`);
      }
      await tx.reconciliationResolution.create({ data: { discrepancyId: id, action: closing, actor, reason, statusBefore: 'OPEN', statusAfter } });
    });
    this.deps.logger.info({ discrepancyId: id, closing, actor }, 'reconciliation discrepancy closed');
    return this.getDiscrepancy(id);
  }
}

function discrepancyNotFound(): NotFoundError {
  return new NotFoundError('DISCREPANCY_NOT_FOUND', 'No such discrepancy');
}

function toView(row: ReconciliationDiscrepancy & { resolutions: ReconciliationResolution[] }): DiscrepancyView {
  return {
    id: row.id,
    day: dayOf(row.day),
    kind: row.kind,
    idempotencyKey: row.idempotencyKey,
    occurrence: row.occurrence,
    ledgerAmount: row.ledgerAmount,
    statementAmount: row.statementAmount,
    disbursementId: row.disbursementId,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    resolutions: row.resolutions.map((resolution) => ({
      action: resolutionActionSchema.parse(resolution.action),
      actor: resolution.actor,
      reason: resolution.reason,
      statusBefore: resolution.statusBefore,
      statusAfter: resolution.statusAfter,
      at: resolution.at.toISOString(),
    })),
  };
}
