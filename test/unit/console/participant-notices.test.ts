// The notices an operator may send again: those the journey sent itself and that went out, the
// latest first; never a resend, never one still on its way.
import type { ParticipantNoticeView } from '../../../api/participants/participant.schema';
import { isResend, milestoneDetail, resendableNotices } from '../../../console/src/program/participant-notices';

function notice(overrides: Partial<ParticipantNoticeView>): ParticipantNoticeView {
  return { milestone: 'ELIGIBLE', kind: 'ELIGIBLE', channel: 'EMAIL', status: 'SENT', attempts: 1, createdAt: '2020-04-12T09:00:00.000Z', sentAt: '2020-04-12T09:00:01.000Z', ...overrides };
}

describe('resendable notices', () => {
  it('offers the journey\'s own sent notices, the latest first, and no resend or notice on its way', () => {
    const verified = notice({ milestone: 'EMAIL_VERIFIED', kind: 'EMAIL_VERIFIED' });
    const eligible = notice({});
    const resent = notice({ milestone: 'ELIGIBLE:resend-1' });
    const sending = notice({ milestone: 'PAYMENT:INCENTIVE:1', kind: 'PAYMENT', status: 'SENDING', sentAt: null });
    expect(resendableNotices([verified, eligible, resent, sending])).toEqual([eligible, verified]);
  });

  it('tells a resend by its milestone, not by a milestone that only carries a time or an id', () => {
    expect(isResend({ milestone: 'ELIGIBLE:resend-2' })).toBe(true);
    expect(isResend({ milestone: 'PAYMENT:INCENTIVE:2:resend-10' })).toBe(true);
    expect(isResend({ milestone: 'INELIGIBLE:2020-04-12T09:00:00.000Z' })).toBe(false);
    expect(isResend({ milestone: 'ELIGIBLE' })).toBe(false);
  });

  it('names the milestone only where it says more than the kind', () => {
    expect(milestoneDetail(notice({}))).toBeUndefined();
    expect(milestoneDetail(notice({ milestone: 'PAYMENT:SURVEY:3', kind: 'PAYMENT' }))).toBe('PAYMENT:SURVEY:3');
  });
});
