// The bodies of the deadline extension, the reset and the notice resend, as the API parses them.
import { deadlineExtensionRequestSchema, journeyResetRequestSchema, noticeResendRequestSchema } from '../../../api/participants/participant.schema';

describe('deadline extension requests', () => {
  it('takes an ISO-8601 duration as given, and a whole number as days', () => {
    expect(deadlineExtensionRequestSchema.parse({ deadline: 'SURVEY', extension: 'PT12H', reason: 'r' }).extension).toBe('PT12H');
    expect(deadlineExtensionRequestSchema.parse({ deadline: 'TRAINING_PURCHASE', extension: 7, reason: 'r' }).extension).toBe('P7D');
  });

  it.each([0, -1, 1.5, 'P0D', '-P1D', '7 days', 'P6Y'])('refuses the extension %p', (extension) => {
    expect(deadlineExtensionRequestSchema.safeParse({ deadline: 'SURVEY', extension, reason: 'r' }).success).toBe(false);
  });

  it('refuses a deadline the journey does not have', () => {
    expect(deadlineExtensionRequestSchema.safeParse({ deadline: 'WAVE_CLOSE', extension: 1, reason: 'r' }).success).toBe(false);
  });
});

describe('reset requests', () => {
  it('names a step, never an event id', () => {
    expect(journeyResetRequestSchema.parse({ step: 'ELIGIBILITY', reason: 'fix deployed', eventId: 42 })).toEqual({ step: 'ELIGIBILITY', reason: 'fix deployed' });
    const unknown = journeyResetRequestSchema.safeParse({ step: '57', reason: 'r' });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.path).toEqual(['step']);
  });
});

describe('notice resend requests', () => {
  it('names the milestone, trimmed', () => {
    expect(noticeResendRequestSchema.parse({ milestone: ' PAYMENT:INCENTIVE:2 ', reason: 'never came' })).toEqual({ milestone: 'PAYMENT:INCENTIVE:2', reason: 'never came' });
  });

  it.each([{}, { milestone: '  ' }, { milestone: 7 }])('refuses %p at the milestone', (body) => {
    const parsed = noticeResendRequestSchema.safeParse({ reason: 'r', ...body });
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([['milestone']]);
  });
});
