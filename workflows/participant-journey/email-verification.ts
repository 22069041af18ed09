// Registrants confirm their email address within the calendar's window (an operator may extend it), or the registration expires.
import { log } from '@temporalio/workflow';
import { internal } from './activities';
import { deadlineAfter, JourneyEnded, type JourneyState, now } from './journey-state';
import { isBusinessRefusal } from './refusals';

export async function verifyEmail(journey: JourneyState) {
  const { state, participantId } = journey;
  state.calendar = await internal.loadProgramCalendar({ at: journey.input.registeredAt });
  journey.openDeadline('EMAIL_VERIFICATION', deadlineAfter(state.calendar.emailVerificationWindow));
  try {
    journey.emailTokenHash = (await journey.sendVerificationEmail()).tokenHash;
  } catch (error) {
    // The mail server refused the address for good: no token to wait for, but a resend may still
    // reach it, and the registration expires at the window's end as any unverified one does.
    if (!isBusinessRefusal(error)) throw error;
    log.warn('Verification mail refused by the mail server', { participantId, type: error.cause.type });
  }
  if (!(await journey.waitBeforeDeadline('EMAIL_VERIFICATION', () => journey.emailVerified, state.calendar.emailVerificationWindow))) {
    throw new JourneyEnded('EXPIRED', 'Email not verified in time');
  }
  state.deadlines.emailVerificationBy = undefined;
  await internal.recordMilestone({ participantId, milestone: 'emailVerifiedAt', at: now() });
  journey.notify({ kind: 'EMAIL_VERIFIED' });
}
