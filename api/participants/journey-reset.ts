// Where in a journey's history each step starts, so an operator resets to a step by its name and
// never by an event id typed by hand. Temporal resets to a workflow task: the run is rebuilt from
// the events before it and the new code runs that task and everything after it again.
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { Stage } from '../../workflows/participant-journey.definitions';
import { stageAttribute } from '../../workflows/search-attributes';
import type { ResetStep } from './participant.schema';

type History = temporal.api.history.v1.IHistory;
type EventId = NonNullable<temporal.api.history.v1.IHistoryEvent['eventId']>;

/**
 * Each step's start, as its history shows it: the first workflow task that scheduled the step's
 * first activity and, where a stage names the step, set the JalurStage search attribute to it in
 * the same task. Search attributes are never encrypted (the server indexes them), unlike activity
 * inputs, and every step after the first begins with moveTo(stage): that upsert plus the
 * recordStage activity. Resetting to that task re-runs the step from its first line, the stage
 * written to the database included. The first step is the journey's first workflow task.
 */
export const RESET_POINTS: Record<ResetStep, { activityType: string; stage?: Stage; resumesAt: Stage }> = {
  EMAIL_VERIFICATION: { activityType: 'loadProgramCalendar', resumesAt: 'AWAITING_EMAIL_VERIFICATION' },
  IDENTITY: { activityType: 'recordStage', stage: 'VERIFYING_IDENTITY', resumesAt: 'VERIFYING_IDENTITY' },
  ELIGIBILITY: { activityType: 'recordStage', stage: 'CHECKING_ELIGIBILITY', resumesAt: 'CHECKING_ELIGIBILITY' },
  WAVE: { activityType: 'recordStage', stage: 'ELIGIBLE', resumesAt: 'ELIGIBLE' },
  TRAINING: { activityType: 'recordStage', stage: 'SELECTED', resumesAt: 'SELECTED' },
  PAYMENTS: { activityType: 'recordStage', stage: 'RECEIVING_INCENTIVES', resumesAt: 'RECEIVING_INCENTIVES' },
  SURVEYS: { activityType: 'recordStage', stage: 'TAKING_SURVEYS', resumesAt: 'TAKING_SURVEYS' },
};

/**
 * The id of the WorkflowTaskCompleted event to reset to for `step`, or undefined when this run
 * never reached the step (a journey that ended before it, or has not got there yet).
 */
export function findResetPoint(history: History, step: ResetStep): EventId | undefined {
  const { activityType, stage } = RESET_POINTS[step];
  const events = history.events ?? [];
  // The stages each workflow task set, by the task's WorkflowTaskCompleted event id.
  const stagesSetBy = new Map<string, Stage>();
  for (const event of events) {
    const upsert = event.upsertWorkflowSearchAttributesEventAttributes;
    const stagePayload = upsert?.searchAttributes?.indexedFields?.[stageAttribute.name];
    if (!upsert?.workflowTaskCompletedEventId || !stagePayload) continue;
    stagesSetBy.set(String(upsert.workflowTaskCompletedEventId), defaultPayloadConverter.fromPayload<Stage>(stagePayload));
  }
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    const task = scheduled?.workflowTaskCompletedEventId;
    if (!task || scheduled.activityType?.name !== activityType) continue;
    if (stage === undefined || stagesSetBy.get(String(task)) === stage) return task;
  }
  return undefined;
}
