// Resending a notice over HTTP against the running stack: operators and auditors read what a
// participant was sent; an operator sends one again with a reason, as a message of its own that
// the mail simulator receives, recorded as a notice row of its own and on the audit trail.
import { randomUUID } from 'node:crypto';
import { api, eventually, KEYS, sim, waitForStage } from '../support/http';
import { registerAndVerify } from '../support/journeys';

jest.setTimeout(180_000);

const AUDITOR = 'dev-auditor';

interface Mail {
  subject: string;
  token: string | null;
  messageId: string | null;
}

interface NoticeRow {
  milestone: string;
  kind: string;
  status: string;
}

const noticesOf = (participantId: string, key: string = KEYS.operator) => api<{ notices: NoticeRow[]; error?: { code: string } }>('GET', `/v1/participants/${participantId}/notices`, { key });
const resendNotice = (participantId: string, body: unknown, key: string = KEYS.operator) => api('POST', `/v1/participants/${participantId}/notice-resends`, { key, body });
/** The "you are eligible" mails (the English subject follows the Indonesian one). */
const eligibleMails = async (email: string) =>
  (await sim<Mail[]>('GET', `/sim/mail?to=${encodeURIComponent(email)}`)).body.filter((mail) => mail.token === null && mail.subject.endsWith('You are eligible for the Jalur program'));

describe('notice resends', () => {
  it('lists the notices sent, and sends one again as a message of its own, audited with its reason', async () => {
    const { participantId, registration } = await registerAndVerify();
    await waitForStage(participantId, 'ELIGIBLE');

    // The eligibility notice goes out beside the journey: wait until both are marked sent.
    const sent = await eventually(async () => {
      const answer = await noticesOf(participantId);
      return answer.status === 200 && answer.body.notices.length === 2 && answer.body.notices.every((notice) => notice.status === 'SENT') ? answer.body : undefined;
    }, 'both notices to be sent');
    const sentRow = (milestone: string) => ({ milestone, kind: milestone, channel: 'EMAIL', status: 'SENT', attempts: 1, createdAt: expect.any(String), sentAt: expect.any(String) });
    // Exactly these fields, oldest first: no content, no address, no reference.
    expect(sent).toEqual({ notices: [sentRow('EMAIL_VERIFIED'), sentRow('ELIGIBLE')] });
    expect(JSON.stringify(sent)).not.toContain(registration.email);
    const asAuditor = await noticesOf(participantId, AUDITOR);
    expect(asAuditor.status).toBe(200);
    expect(asAuditor.body).toEqual(sent);

    const [first] = await eventually(async () => {
      const mails = await eligibleMails(registration.email);
      return mails.length === 1 ? mails : undefined;
    }, 'the eligibility mail');

    const resent = await resendNotice(participantId, { milestone: 'ELIGIBLE', reason: 'participant says the eligibility mail never came' });
    expect(resent.status).toBe(200);
    expect(resent.body.stage).toBe('ELIGIBLE');

    // Answered once the channel accepted it: a second mail, its own Message-ID, its own row.
    const mails = await eligibleMails(registration.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.messageId).toEqual(expect.any(String));
    expect(mails[1]!.messageId).not.toBe(first!.messageId);
    const after = await noticesOf(participantId);
    expect(after.body.notices).toEqual([sentRow('EMAIL_VERIFIED'), sentRow('ELIGIBLE'), { ...sentRow('ELIGIBLE:resend-1'), kind: 'ELIGIBLE' }]);

    const trail = await api('GET', `/v1/participants/${participantId}/audit-trail`, { key: AUDITOR });
    expect(trail.status).toBe(200);
    expect(trail.body.actions).toEqual([
      expect.objectContaining({
        kind: 'RESEND_NOTICE',
        actor: 'dev-operator',
        actorRole: 'operator',
        reason: 'participant says the eligibility mail never came',
        outcome: 'DONE',
        refusalCode: null,
        before: expect.objectContaining({ stage: 'ELIGIBLE', notice: { milestone: 'ELIGIBLE' } }),
        after: expect.objectContaining({ stage: 'ELIGIBLE', notice: { milestone: 'ELIGIBLE' } }),
      }),
    ]);
  });

  it('refuses a milestone the journey never sent, a missing reason or milestone, and an auditor, sending nothing', async () => {
    const { participantId, registration } = await registerAndVerify();
    await waitForStage(participantId, 'ELIGIBLE');
    await eventually(async () => ((await eligibleMails(registration.email)).length === 1 ? true : undefined), 'the eligibility mail');

    const notSent = await resendNotice(participantId, { milestone: 'SELECTED:no-such-wave', reason: 'asked by phone' });
    expect(notSent.status).toBe(422);
    expect(notSent.body.error.code).toBe('NOTICE_NOT_SENT');

    for (const body of [{ milestone: 'ELIGIBLE' }, { milestone: 'ELIGIBLE', reason: '   ' }, {}]) {
      const answer = await resendNotice(participantId, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'REASON_REQUIRED', fields: { reason: expect.any(String) } });
    }
    const noMilestone = await resendNotice(participantId, { reason: 'asked by phone' });
    expect(noMilestone.status).toBe(400);
    expect(noMilestone.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { milestone: 'is required' } });

    const byAuditor = await resendNotice(participantId, { milestone: 'ELIGIBLE', reason: 'auditors only read' }, AUDITOR);
    expect(byAuditor.status).toBe(403);

    // Nothing went out: the one eligibility mail, no row beyond the journey's own two.
    expect(await eligibleMails(registration.email)).toHaveLength(1);
    expect((await noticesOf(participantId)).body.notices.map((notice) => notice.milestone)).toEqual(['EMAIL_VERIFIED', 'ELIGIBLE']);
    // The journey's refusal is on the audit trail; the requests refused before it are not.
    const trail = await api('GET', `/v1/participants/${participantId}/audit-trail`, { key: KEYS.operator });
    expect(trail.body.actions).toEqual([expect.objectContaining({ kind: 'RESEND_NOTICE', reason: 'asked by phone', outcome: 'REFUSED', refusalCode: 'NOTICE_NOT_SENT', after: null })]);
  });

  it('answers 404 for an unknown participant', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const answer = await noticesOf(id);
      expect(answer.status).toBe(404);
      expect(answer.body.error?.code).toBe('PARTICIPANT_NOT_FOUND');
    }
    const resend = await resendNotice(randomUUID(), { milestone: 'ELIGIBLE', reason: 'no such participant' });
    expect(resend.status).toBe(404);
  });
});
