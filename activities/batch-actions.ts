// The batch action workflow's hands: applying the action to a page of members at the batch's rate
// (each through the journey's own update, recorded in the operator action log with the batch id),
// writing each member's outcome once, and the batch's status.
import { WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, ServiceError, type Client } from '@temporalio/client';
import type { BatchActionItemOutcome } from '../generated/prisma/client';
import type { PrismaClient } from '../lib/database';
import { createLogger } from '../lib/logger';
import { OperatorActionLog, type JourneySnapshot } from '../lib/operator-action-log';
import { updateRefusalOf } from '../lib/temporal/update-refusal';
import type { BatchActionKind } from '../workflows/batch-action.definitions';
import {
  cancelUpdate,
  getStateQuery,
  JOURNEY_ERROR_TYPES,
  participantWorkflowId,
  resendVerificationEmailUpdate,
  retryPayoutUpdate,
  type ParticipantState,
} from '../workflows/participant-journey.definitions';

/** As the API waits for one participant's query and update: without a worker they would wait indefinitely. */
const QUERY_TIMEOUT_MS = 5_000;
const UPDATE_TIMEOUT_MS = 10_000;
/** Reading a journey's state before acting on it, at most this many times, waiting 1 s, then 2 s between. */
const READ_ATTEMPTS = 3;
const READ_RETRY_DELAY_MS = 1_000;
/**
 * Updates in flight at once within a page. The rate needs rate × (a journey's answer time) of them
 * (a resend waits for the mail to go: about half a second under load), so one second's worth,
 * bounded so that a high rate cannot flood the journeys' worker.
 */
const inFlightBound = (ratePerSecond: number) => Math.min(200, Math.max(20, ratePerSecond));

const JOURNEY_REFUSALS: ReadonlySet<string> = new Set(Object.values(JOURNEY_ERROR_TYPES));

export interface BatchActionPage {
  batchId: string;
  kind: BatchActionKind;
  reason: string;
  requestedBy: { name: string; role: string };
  afterParticipantId?: string;
  limit: number;
  ratePerSecond: number;
}

type ItemOutcome = { outcome: Exclude<BatchActionItemOutcome, 'PENDING' | 'CANCELLED'>; refusalCode: string | null };

export function createBatchActionActivities({ prisma, temporal }: { prisma: PrismaClient; temporal: Client }) {
  const logger = createLogger('batch-action');
  const operatorActions = new OperatorActionLog({ prisma, logger });

  const journeyOf = (participantId: string) => temporal.workflow.getHandle(participantWorkflowId(participantId));

  function stepOf(kind: BatchActionKind, participantId: string, reason: string, by: string): () => Promise<ParticipantState> {
    const journey = journeyOf(participantId);
    const update = () => {
      switch (kind) {
        case 'CANCEL':
          return journey.executeUpdate(cancelUpdate, { args: [{ reason, by }] });
        case 'RESEND_VERIFICATION_EMAIL':
          return journey.executeUpdate(resendVerificationEmailUpdate);
        case 'RETRY_PAYOUT':
          return journey.executeUpdate(retryPayoutUpdate);
      }
    };
    return () => temporal.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, update);
  }

  /** The journey's own refusal, or a journey that is not running (ended, or never started): as the API answers one participant. */
  const refusalCodeOf = (error: unknown): string | undefined =>
    updateRefusalOf(error, (type) => JOURNEY_REFUSALS.has(type))?.type ?? (error instanceof WorkflowNotFoundError ? JOURNEY_ERROR_TYPES.wrongStage : undefined);

  /**
   * Applies the action to one member. An earlier attempt of this page may have asked the journey
   * already (the activity was retried after a crash): its entries in the operator action log say
   * what happened, and the journey is not asked twice. Only a REQUESTED entry without an answer
   * leaves the outcome unknown: FAILED, for an operator to look at, rather than a second action.
   */
  async function applyToMember(page: BatchActionPage, participantId: string): Promise<ItemOutcome> {
    const { batchId, kind, reason, requestedBy } = page;
    const earlier = await prisma.operatorActionEntry.findMany({ where: { batchId, participantId }, select: { phase: true, refusalCode: true } });
    if (earlier.length > 0) {
      const answered = earlier.find((entry) => entry.phase !== 'REQUESTED');
      if (answered?.phase === 'DONE') return { outcome: 'DONE', refusalCode: null };
      if (answered?.phase === 'REFUSED') return { outcome: 'REFUSED', refusalCode: answered.refusalCode };
      return { outcome: 'FAILED', refusalCode: 'OUTCOME_UNKNOWN' };
    }
    const step = stepOf(kind, participantId, reason, requestedBy.name);
    for (let attempt = 1; ; attempt++) {
      // Once the journey has been asked, a failure leaves the outcome unknown (the update may still land).
      let asked = false;
      try {
        await operatorActions.record(
          { participantId, kind, reason, actor: requestedBy, batchId },
          {
            before: async () => snapshotOf(await temporal.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => journeyOf(participantId).query(getStateQuery))),
            step: () => {
              asked = true;
              return step();
            },
            // Accepted, a cancelled journey leaves by CANCELLED at its next step, as for one participant.
            after: (state) => (kind === 'CANCEL' ? { ...snapshotOf(state), stage: 'CANCELLED' } : snapshotOf(state)),
            refusalCodeOf,
          },
        );
        return { outcome: 'DONE', refusalCode: null };
      } catch (error) {
        const refusalCode = refusalCodeOf(error);
        if (refusalCode !== undefined) return { outcome: 'REFUSED', refusalCode };
        const failureCode = asked ? 'OUTCOME_UNKNOWN' : failureCodeOf(error);
        // Nothing asked yet and nothing written (the journey's state could not be read in time, as
        // on a saturated server): safe to try again, a little later, before calling it failed.
        if (failureCode === 'TEMPORAL_UNAVAILABLE' && attempt < READ_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, attempt * READ_RETRY_DELAY_MS));
          continue;
        }
        logger.warn({ batchId, participantId, attempt, err: error }, 'batch action item failed');
        return { outcome: 'FAILED', refusalCode: failureCode };
      }
    }
  }

  async function recordOutcome(batchId: string, participantId: string, { outcome, refusalCode }: ItemOutcome): Promise<void> {
    await prisma.batchActionItem.updateMany({ where: { batchId, participantId, outcome: 'PENDING' }, data: { outcome, refusalCode, completedAt: new Date() } });
  }

  return {
    /**
     * The next `limit` members still PENDING after `afterParticipantId`, each started no sooner than
     * 1/rate seconds after the one before; the page then lasts until its last slot has passed, so
     * the next page cannot start early and the ceiling holds across pages too. Each outcome is
     * written once (only over PENDING), so a retried page never changes one already written.
     */
    async applyBatchActionPage(page: BatchActionPage): Promise<{ items: number; lastParticipantId: string | null }> {
      const { batchId, afterParticipantId, limit, ratePerSecond } = page;
      const members = await prisma.batchActionItem.findMany({
        where: { batchId, outcome: 'PENDING', ...(afterParticipantId ? { participantId: { gt: afterParticipantId } } : {}) },
        select: { participantId: true },
        orderBy: { participantId: 'asc' },
        take: limit,
      });
      const intervalMs = 1000 / ratePerSecond;
      const maxInFlight = inFlightBound(ratePerSecond);
      const startedAt = Date.now();
      const inFlight = new Set<Promise<void>>();
      let writeFailure: unknown;
      for (const [index, { participantId }] of members.entries()) {
        await sleepUntil(startedAt + index * intervalMs);
        if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
        const applying: Promise<void> = applyToMember(page, participantId)
          .then((outcome) => recordOutcome(batchId, participantId, outcome))
          .catch((error: unknown) => {
            // A database that cannot take the outcome fails the page; its retry finds the item still PENDING.
            writeFailure ??= error;
          })
          .finally(() => inFlight.delete(applying));
        inFlight.add(applying);
      }
      await Promise.all(inFlight);
      if (writeFailure !== undefined) throw writeFailure;
      await sleepUntil(startedAt + members.length * intervalMs);
      return { items: members.length, lastParticipantId: members.at(-1)?.participantId ?? null };
    },

    /** RUNNING ⇄ PAUSED, only while the batch is one of the two: a late write never reopens a finished batch. */
    async recordBatchActionStatus({ batchId, status, by }: { batchId: string; status: 'RUNNING' | 'PAUSED'; by: string }): Promise<void> {
      await prisma.batchAction.updateMany({
        where: { id: batchId, status: { in: ['RUNNING', 'PAUSED'] } },
        data: { status, statusChangedBy: by, statusChangedAt: new Date() },
      });
    },

    /** Every member not reached is CANCELLED, in the same transaction as the batch: no member is left PENDING. */
    async cancelBatchAction({ batchId, by, reason }: { batchId: string; by: string; reason: string }): Promise<void> {
      const now = new Date();
      await prisma.$transaction([
        prisma.batchActionItem.updateMany({ where: { batchId, outcome: 'PENDING' }, data: { outcome: 'CANCELLED', completedAt: now } }),
        prisma.batchAction.updateMany({
          where: { id: batchId, status: { in: ['RUNNING', 'PAUSED'] } },
          data: { status: 'CANCELLED', statusChangedBy: by, statusChangedAt: now, cancellationReason: reason, completedAt: now },
        }),
      ]);
      logger.info({ batchId, by }, 'batch action cancelled');
    },

    async completeBatchAction({ batchId }: { batchId: string }): Promise<void> {
      const now = new Date();
      await prisma.batchAction.updateMany({ where: { id: batchId, status: { in: ['RUNNING', 'PAUSED'] } }, data: { status: 'COMPLETED', statusChangedAt: now, completedAt: now } });
      logger.info({ batchId }, 'batch action completed');
    },
  };
}

function snapshotOf(state: ParticipantState): JourneySnapshot {
  return { stage: state.stage, payoutBlocked: state.payoutBlocked ?? null };
}

/** What went wrong before the journey was asked (reading its state). */
function failureCodeOf(error: unknown): string {
  if (error instanceof ServiceError || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'TEMPORAL_UNAVAILABLE';
  return 'UNEXPECTED_ERROR';
}

function sleepUntil(at: number): Promise<void> {
  const wait = at - Date.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}
