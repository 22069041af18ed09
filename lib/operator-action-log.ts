// The append-only record of operator actions on a participant's journey, written the same way
// whether an operator acts on one participant through the API or on many through a batch. Each
// action is two rows: REQUESTED before the journey is asked, then DONE or REFUSED once it answered.
// Written in that order, an action is never done without its row (the intent is written first,
// and nothing is asked if that write fails) and never shown as done when it did not happen (DONE
// only after the journey accepted). An answer that never came leaves REQUESTED alone: read back as
// outcome UNKNOWN.
import { randomUUID } from 'node:crypto';
import type { OperatorActionKind, OperatorActionPhase } from '../generated/prisma/client';
import type { Prisma, PrismaClient } from './database';
import type { Logger } from './logger';

export type { OperatorActionKind };

/**
 * The journey around an action, without personal data: its stage and payout block, plus what the
 * action changes (a run id for a reset, a deadline for an extension). Parsed by the API's schema.
 */
export type JourneySnapshot = Prisma.InputJsonObject;

export interface OperatorActionRequest {
  participantId: string;
  kind: OperatorActionKind;
  reason: string;
  actor: { name: string; role: string };
  /** Set when the action is one participant's part of a batch action. */
  batchId?: string;
}

export type OperatorActionOutcome = { outcome: 'DONE'; after: JourneySnapshot } | { outcome: 'REFUSED'; refusalCode: string };

export interface OperatorActionRow {
  actionId: string;
  batchId: string | null;
  kind: OperatorActionKind;
  actor: string;
  actorRole: string;
  reason: string;
  requestedAt: Date;
  outcome: 'DONE' | 'REFUSED' | 'UNKNOWN';
  refusalCode: string | null;
  before: unknown;
  after: unknown;
  completedAt: Date | null;
}

export class OperatorActionLog {
  constructor(private readonly deps: { prisma: PrismaClient; logger: Logger }) {}

  /**
   * Records the action around `step`. `before` is read first, so a journey that is not there
   * refuses before anything is written. `refusalCodeOf` names the journey's refusals (a validator
   * said no): those are recorded as REFUSED; any other failure (a timeout, an outage) leaves the
   * outcome unknown. The step's own result or error is passed through either way.
   */
  async record<Result>(
    request: OperatorActionRequest,
    journey: {
      before: () => Promise<JourneySnapshot>;
      /** Given the action's id, for what the journey's own records should carry (a reset's request id and reason). */
      step: (actionId: string) => Promise<Result>;
      after: (result: Result) => JourneySnapshot;
      refusalCodeOf: (error: unknown) => string | undefined;
    },
  ): Promise<Result> {
    const before = await journey.before();
    const actionId = randomUUID();
    const row = { actionId, participantId: request.participantId, batchId: request.batchId ?? null, kind: request.kind, reason: request.reason, actor: request.actor.name, actorRole: request.actor.role };
    await this.deps.prisma.operatorActionEntry.create({ data: { ...row, phase: 'REQUESTED', before } });
    let result: Result;
    try {
      result = await journey.step(actionId);
    } catch (error) {
      const refusalCode = journey.refusalCodeOf(error);
      if (refusalCode !== undefined) await this.recordOutcome(row, { phase: 'REFUSED', before, refusalCode });
      throw error;
    }
    await this.recordOutcome(row, { phase: 'DONE', before, after: journey.after(result) });
    this.deps.logger.info({ participantId: request.participantId, actionId, kind: request.kind, batchId: request.batchId }, 'operator action done');
    return result;
  }

  /** Every action on the participant, oldest first, each with its outcome. */
  async trailOf(participantId: string): Promise<OperatorActionRow[]> {
    const rows = await this.deps.prisma.operatorActionEntry.findMany({ where: { participantId }, orderBy: [{ at: 'asc' }, { phase: 'asc' }] });
    const actions = new Map<string, OperatorActionRow>();
    for (const row of rows) {
      const action = actions.get(row.actionId) ?? {
        actionId: row.actionId,
        batchId: row.batchId,
        kind: row.kind,
        actor: row.actor,
        actorRole: row.actorRole,
        reason: row.reason,
        requestedAt: row.at,
        outcome: 'UNKNOWN' as const,
        refusalCode: null,
        before: row.before,
        after: null,
        completedAt: null,
      };
      if (row.phase !== 'REQUESTED') Object.assign(action, { outcome: row.phase, refusalCode: row.refusalCode, after: row.after, completedAt: row.at });
      actions.set(row.actionId, action);
    }
    return [...actions.values()];
  }

  /**
   * The journey has answered, so the action stands whatever happens here: a failed write is logged
   * (the REQUESTED row stays, read as UNKNOWN), never turned into an error that invites a repeat.
   */
  private async recordOutcome(
    row: Omit<Prisma.OperatorActionEntryUncheckedCreateInput, 'phase'> & { actionId: string; participantId: string },
    outcome: { phase: Exclude<OperatorActionPhase, 'REQUESTED'>; before: JourneySnapshot; after?: JourneySnapshot; refusalCode?: string },
  ) {
    try {
      await this.deps.prisma.operatorActionEntry.create({ data: { ...row, ...outcome } });
    } catch (error) {
      this.deps.logger.error({ participantId: row.participantId, actionId: row.actionId, phase: outcome.phase, err: error }, 'operator action outcome not recorded');
    }
  }
}
