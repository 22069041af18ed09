// A participant's path as a timeline of steps, from the journey's state: the steps done (with
// their time where the state has it), the one in progress, those to come, and for someone who
// left the program, how far they got. A participant reinstated by an appeal is on the path again,
// and the appeal is an event on it.
import type { ParticipantView } from '../../../api/participants/participant.schema';
// Types only: the definitions module brings the Temporal workflow library along at run time.
import type { Stage } from '../../../workflows/participant-journey.definitions';
import { appealOfCurrentExit, hasLeftProgram, type ParticipantAppeal } from './participant-appeal';

export const TIMELINE_STEPS = [
  'registered',
  'emailVerified',
  'identityVerified',
  'eligibilityDecided',
  'appliedToWave',
  'selected',
  'trainingBought',
  'trainingCompleted',
  'incentivesPaid',
  'surveysDone',
  'completed',
] as const;
export type TimelineStepKey = (typeof TIMELINE_STEPS)[number];
export type TimelineStepState = 'done' | 'current' | 'upcoming' | 'skipped';

export interface TimelineStep {
  key: TimelineStepKey;
  state: TimelineStepState;
  /** When the step was reached (or, for the current one, since when the journey is there). */
  at: string | null;
  /** How many payments or surveys so far, shown beside the step. */
  progress?: number;
}

/** The step a participant on the path is working towards. */
const STEP_IN_PROGRESS: Partial<Record<Stage, TimelineStepKey>> = {
  AWAITING_EMAIL_VERIFICATION: 'emailVerified',
  VERIFYING_IDENTITY: 'identityVerified',
  AWAITING_IDENTITY_CORRECTION: 'identityVerified',
  CHECKING_ELIGIBILITY: 'eligibilityDecided',
  ELIGIBLE: 'appliedToWave',
  APPLIED_TO_WAVE: 'selected',
  SELECTED: 'trainingBought',
  IN_TRAINING: 'trainingCompleted',
  RECEIVING_INCENTIVES: 'incentivesPaid',
  TAKING_SURVEYS: 'surveysDone',
};

/** What the state proves was reached, for someone who left the program (their stage no longer says). */
function reached(participant: ParticipantView, step: TimelineStepKey): boolean {
  const paid = (kind: 'INCENTIVE' | 'SURVEY') => participant.payments.filter((payment) => payment.kind === kind).length;
  switch (step) {
    case 'registered':
      return true;
    case 'emailVerified':
      return participant.identity.attempts > 0 || participant.eligibility !== null || participant.stage === 'REJECTED';
    case 'identityVerified':
    case 'eligibilityDecided':
      return participant.eligibility !== null;
    case 'appliedToWave':
      return participant.wave !== null || participant.wavesApplied > 0;
    case 'selected':
      return participant.wave?.outcome === 'SELECTED' || participant.training !== null || participant.trainingBalance > 0;
    case 'trainingBought':
      return participant.training !== null;
    case 'trainingCompleted':
      return Boolean(participant.training?.completedAt);
    // Someone who left while being paid got as far as the payments that were made.
    case 'incentivesPaid':
      return paid('INCENTIVE') > 0;
    case 'surveysDone':
      return paid('SURVEY') > 0;
    case 'completed':
      return participant.stage === 'COMPLETED';
  }
}

function lastPaidAt(participant: ParticipantView, kind: 'INCENTIVE' | 'SURVEY'): string | null {
  return participant.payments.filter((payment) => payment.kind === kind).reduce<string | null>((latest, payment) => (latest && latest > payment.paidAt ? latest : payment.paidAt), null);
}

function timeOf(participant: ParticipantView, step: TimelineStepKey): string | null {
  switch (step) {
    case 'eligibilityDecided':
      return participant.eligibility?.evaluatedAt ?? null;
    case 'trainingBought':
      return participant.training?.purchasedAt ?? null;
    case 'trainingCompleted':
      return participant.training?.completedAt ?? null;
    case 'incentivesPaid':
      return lastPaidAt(participant, 'INCENTIVE');
    case 'surveysDone':
      return lastPaidAt(participant, 'SURVEY');
    case 'completed':
      return participant.stage === 'COMPLETED' ? participant.stageChangedAt : null;
    default:
      return null;
  }
}

function progressOf(participant: ParticipantView, step: TimelineStepKey): number | undefined {
  if (step === 'incentivesPaid') return participant.payments.filter((payment) => payment.kind === 'INCENTIVE').length;
  if (step === 'surveysDone') return participant.surveys.filter((survey) => survey.status === 'SUBMITTED').length;
  return undefined;
}

export function stageTimeline(participant: ParticipantView): TimelineStep[] {
  const lastReachedIndex = TIMELINE_STEPS.reduce((last, step, index) => (reached(participant, step) ? index : last), 0);
  // Just reinstated, the stage may still name the way out: the path goes on after the last step reached.
  const resumed = participant.stage !== 'COMPLETED' && !hasLeftProgram(participant) ? TIMELINE_STEPS[Math.min(lastReachedIndex + 1, TIMELINE_STEPS.length - 1)] : undefined;
  const inProgress = STEP_IN_PROGRESS[participant.stage] ?? resumed;
  const currentIndex = inProgress ? TIMELINE_STEPS.indexOf(inProgress) : undefined;
  return TIMELINE_STEPS.map((key, index) => {
    let state: TimelineStepState;
    if (participant.stage === 'COMPLETED') state = 'done';
    else if (currentIndex !== undefined) state = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'upcoming';
    else state = index <= lastReachedIndex ? 'done' : 'skipped';
    const at = state === 'current' ? participant.stageChangedAt : state === 'done' ? timeOf(participant, key) : null;
    const progress = state === 'done' || state === 'current' ? progressOf(participant, key) : undefined;
    return { key, state, at, ...(progress !== undefined ? { progress } : {}) };
  });
}

export interface AppealOnTimeline {
  appeal: ParticipantAppeal;
  /** The latest moment of the appeal the state knows: its decision, or its filing. */
  at: string;
  /** The step the appeal is shown before; null: after the exit (the exit appealed), or at the end. */
  beforeStep: TimelineStepKey | null;
}

/** Where the latest appeal stands on the timeline: after the exit it appeals, or, having brought the participant back, where the path went on. */
export function appealOnTimeline(participant: ParticipantView, steps: TimelineStep[] = stageTimeline(participant)): AppealOnTimeline | null {
  const { appeal } = participant;
  if (!appeal) return null;
  const at = appeal.decidedAt ?? appeal.filedAt;
  if (hasLeftProgram(participant) && appealOfCurrentExit(participant)) return { appeal, at, beforeStep: null };
  const next = steps.find((step) => step.state !== 'done' || (step.at !== null && Date.parse(step.at) > Date.parse(at)));
  return { appeal, at, beforeStep: next?.key ?? null };
}
