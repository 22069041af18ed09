// Whether a participant has left the program, and where they stand on appealing the way out: may
// still appeal (until when), appealed (the appeal's state), or nothing to say. Read as the API reads
// it (api/participants/participant-status.ts): an appeal filed before the exit the participant is in
// now belongs to an earlier exit, one the participant came back from.
import type { ParticipantView } from '../../../api/participants/participant.schema';
// Types only: the definitions module brings the Temporal workflow library along at run time.
import type { AppealableStage, Stage } from '../../../workflows/participant-journey.definitions';

export type ParticipantAppeal = NonNullable<ParticipantView['appeal']>;

// Listed by type only (a value import would bundle the workflow SDK): the compiler checks every one is here.
const APPEALABLE_STAGES: ReadonlySet<Stage> = new Set(Object.keys({ INELIGIBLE: 1, REJECTED: 1, REVOKED: 1 } satisfies Record<AppealableStage, 1>) as AppealableStage[]);
const EXIT_STAGES: ReadonlySet<Stage> = new Set<Stage>(['EXPIRED', 'WITHDRAWN', 'CANCELLED', ...APPEALABLE_STAGES]);

/**
 * Reinstated by an appeal: the journey cleared the exit and resumes on the path. For a moment the
 * stage may still name the way out (the journey has not moved on yet); they have not left all the same.
 */
export function reinstatedByAppeal(participant: Pick<ParticipantView, 'appeal' | 'exit'>): boolean {
  return participant.appeal?.result === 'REINSTATED' && participant.exit === null;
}

export function hasLeftProgram(participant: Pick<ParticipantView, 'stage' | 'appeal' | 'exit'>): boolean {
  return EXIT_STAGES.has(participant.stage) && !reinstatedByAppeal(participant);
}

/** The latest appeal when it is about the exit the participant is in, or the one that brought them back. */
export function appealOfCurrentExit(participant: Pick<ParticipantView, 'appeal' | 'exit'>): ParticipantAppeal | null {
  const { appeal, exit } = participant;
  if (!appeal) return null;
  return exit && Date.parse(appeal.filedAt) < Date.parse(exit.at) ? null : appeal;
}

export type AppealStanding =
  | { kind: 'appealed'; appeal: ParticipantAppeal }
  /** Left by an appealable way out and not appealed: until when they may (windowOpen), or since when they no longer may. */
  | { kind: 'appealable'; until: string; windowOpen: boolean }
  | { kind: 'none' };

export function appealStanding(participant: Pick<ParticipantView, 'stage' | 'appeal' | 'exit' | 'appealableUntil'>, now: Date = new Date()): AppealStanding {
  const appeal = appealOfCurrentExit(participant);
  if (appeal) return { kind: 'appealed', appeal };
  const until = participant.appealableUntil;
  if (until !== null && APPEALABLE_STAGES.has(participant.stage) && hasLeftProgram(participant)) {
    return { kind: 'appealable', until, windowOpen: Date.parse(until) > now.getTime() };
  }
  return { kind: 'none' };
}
