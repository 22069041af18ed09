// The NIK is checked with Dukcapil. A mismatch or an unknown NIK may be corrected within the
// calendar's window, up to MAX_IDENTITY_ATTEMPTS checks; a deceased registrant is rejected at once.
import { MAX_IDENTITY_ATTEMPTS } from '../participant-journey.definitions';
import { internal } from './activities';
import { deadlineAfter, JourneyEnded, type JourneyState, now } from './journey-state';

export async function verifyIdentity(journey: JourneyState) {
  const { state, participantId } = journey;
  for (;;) {
    await journey.moveTo('VERIFYING_IDENTITY');
    state.identityAttempts += 1;
    const check = await journey.outside.dukcapil.verifyIdentityWithDukcapil({ participantId });
    if (check.result === 'MATCH') {
      state.identityProblem = undefined;
      await internal.recordMilestone({ participantId, milestone: 'nikVerifiedAt', at: now() });
      return;
    }
    if (check.result === 'DECEASED') throw new JourneyEnded('REJECTED', 'IDENTITY_DECEASED');
    state.identityProblem = check.result;
    if (state.identityAttempts >= MAX_IDENTITY_ATTEMPTS) throw new JourneyEnded('REJECTED', `IDENTITY_${check.result}`);
    journey.identityCorrected = false;
    journey.openDeadline('IDENTITY_CORRECTION', deadlineAfter(state.calendar.identityCorrectionWindow));
    await journey.moveTo('AWAITING_IDENTITY_CORRECTION');
    journey.notify({
      kind: 'IDENTITY_PROBLEM',
      attempt: state.identityAttempts,
      problem: check.result,
      correctBy: state.deadlines.identityCorrectionBy!,
      attemptsLeft: MAX_IDENTITY_ATTEMPTS - state.identityAttempts,
    });
    if (!(await journey.waitBeforeDeadline('IDENTITY_CORRECTION', () => journey.identityCorrected, state.calendar.identityCorrectionWindow))) {
      throw new JourneyEnded('REJECTED', `IDENTITY_${check.result}_NOT_CORRECTED`);
    }
    state.deadlines.identityCorrectionBy = undefined;
  }
}
