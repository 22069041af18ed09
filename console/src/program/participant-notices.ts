// The notices sent to a participant, as the console offers them: which an operator may send again,
// and what names one beyond its kind.
import type { ParticipantNoticeView } from '../../../api/participants/participant.schema';

/** A resend is recorded under `<milestone>:resend-<n>` (workflows/participant-journey.definitions.ts, resendNoticeUpdate). */
const RESEND_MILESTONE = /:resend-\d+$/;

export const isResend = (notice: Pick<ParticipantNoticeView, 'milestone'>): boolean => RESEND_MILESTONE.test(notice.milestone);

/**
 * What an operator may send again, the latest first: the journey's own notices that went out. A
 * resend is not offered (the journey resends the milestone, never a resend of it), nor a notice
 * still on its way.
 */
export function resendableNotices(notices: readonly ParticipantNoticeView[]): ParticipantNoticeView[] {
  return notices.filter((notice) => notice.status === 'SENT' && !isResend(notice)).reverse();
}

/** The milestone where it says more than the kind (which wave, payment, decision or appeal); undefined where the kind says it all. */
export function milestoneDetail(notice: Pick<ParticipantNoticeView, 'milestone' | 'kind'>): string | undefined {
  return notice.milestone === notice.kind ? undefined : notice.milestone;
}
