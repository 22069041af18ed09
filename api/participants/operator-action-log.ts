// The append-only record of operator actions on a participant's journey. Each action is two rows:
// REQUESTED before the journey is asked, then DONE or REFUSED once it answered. Written in that
// order, an action is never done without its row (the intent is written first, and nothing is
// asked if that write fails) and never shown as done when it did not happen (DONE only after the
// journey accepted). An answer that never came leaves REQUESTED alone: shown as outcome UNKNOWN.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import type { Caller } from '../request-context';
import { journeySnapshotSchema, type JourneySnapshot, type OperatorActionKind, type OperatorActionView } from './participant.schema';

export interface RequestedAction {
  actionId: string;
  participantId: string;
  kind: OperatorActionKind;
  reason: string;
  caller: Caller;
  before: JourneySnapshot;
}

export class OperatorActionLog {
  constructor(private readonly deps: { prisma: PrismaClient; logger: Logger }) {}

  async recordRequested(participantId: string, kind: OperatorActionKind, reason: string, caller: Caller, before: JourneySnapshot): Promise<RequestedAction> {
    const action = { actionId: randomUUID(), participantId, kind, reason, caller, before };
    await this.deps.prisma.operatorActionEntry.create({ data: { ...this.rowOf(action), phase: 'REQUESTED', before } });
    return action;
  }

  recordDone(action: RequestedAction, after: JourneySnapshot): Promise<void> {
    return this.recordOutcome(action, { phase: 'DONE', before: action.before, after });
  }

  recordRefused(action: RequestedAction, refusalCode: string): Promise<void> {
    return this.recordOutcome(action, { phase: 'REFUSED', before: action.before, refusalCode });
  }

  /** Every action on the participant, oldest first, each with its outcome. */
  async trailOf(participantId: string): Promise<OperatorActionView[]> {
    const rows = await this.deps.prisma.operatorActionEntry.findMany({ where: { participantId }, orderBy: [{ at: 'asc' }, { phase: 'asc' }] });
    const actions = new Map<string, OperatorActionView>();
    for (const row of rows) {
      const action = actions.get(row.actionId) ?? {
        actionId: row.actionId,
        kind: row.kind,
        actor: row.actor,
        actorRole: row.actorRole,
        reason: row.reason,
        requestedAt: row.at.toISOString(),
        outcome: 'UNKNOWN' as const,
        refusalCode: null,
        before: journeySnapshotSchema.nullable().parse(row.before),
        after: null,
        completedAt: null,
      };
      if (row.phase !== 'REQUESTED') {
        Object.assign(action, { outcome: row.phase, refusalCode: row.refusalCode, after: journeySnapshotSchema.nullable().parse(row.after), completedAt: row.at.toISOString() });
      }
      actions.set(row.actionId, action);
    }
    return [...actions.values()];
  }

  /**
   * The journey has answered, so the action stands whatever happens here: a failed write is logged
   * (the REQUESTED row stays, shown as UNKNOWN), never turned into an error that invites a repeat.
   */
  private async recordOutcome(action: RequestedAction, outcome: { phase: 'DONE' | 'REFUSED'; before: JourneySnapshot; after?: JourneySnapshot; refusalCode?: string }) {
    try {
      await this.deps.prisma.operatorActionEntry.create({ data: { ...this.rowOf(action), ...outcome } });
    } catch (error) {
      this.deps.logger.error({ participantId: action.participantId, actionId: action.actionId, phase: outcome.phase, err: error }, 'operator action outcome not recorded');
    }
  }

  private rowOf(action: RequestedAction) {
    return { actionId: action.actionId, participantId: action.participantId, kind: action.kind, reason: action.reason, actor: action.caller.name, actorRole: action.caller.role };
  }
}
