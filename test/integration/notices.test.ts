// Notices at every milestone, over the real stack: the mail simulator (SMTP) and the messaging
// gateway receive them; each arrives once, in Bahasa Indonesia with English below, without the NIK.
import { randomInt } from 'node:crypto';
import { api, createOpenWave, eventually, FAST_CALENDAR, KEYS, sim, waitForStage } from '../support/http';
import { registerAndVerify, selectInWave, setPayoutAccount, takeTraining, waitForState, type RegisteredParticipant } from '../support/journeys';
import { connectTestDatabase } from '../support/clients';
import { killStackWorker, startReplacementWorker } from '../support/worker-control';
import { recordHistory } from '../support/replay-histories';

jest.setTimeout(300_000);

interface Mail {
  to: string;
  subject: string;
  text: string;
  token: string | null;
  messageId: string | null;
  deliveries: number;
}

interface TextMessage {
  to: string;
  channel: string;
  text: string;
  idempotencyKey: string;
  repeats: number;
}

const mailTo = async (email: string) => (await sim<Mail[]>('GET', `/sim/mail?to=${encodeURIComponent(email)}`)).body;
const textsTo = async (phone: string) => (await sim<TextMessage[]>('GET', `/sim/messages?to=${encodeURIComponent(phone)}`)).body;
/** The notices (not the verification mail) a participant received by email. */
const noticesTo = async (email: string) => (await mailTo(email)).filter((mail) => mail.token === null);

const uniquePhone = () => `+628${randomInt(100_000_000, 999_999_999)}`;

/** Subjects carry the Indonesian subject, then the English one: the English is enough to tell them apart. */
const englishSubject = (subject: string) => subject.split(' / ').at(-1)!;

function expectBothLanguagesAndNoNik(text: string, nik: string) {
  expect(text).toContain('— English —');
  expect(text.indexOf('Halo')).toBeLessThan(text.indexOf('— English —'));
  expect(text.indexOf('Hello')).toBeGreaterThan(text.indexOf('— English —'));
  expect(text).not.toContain(nik);
  expect(text).not.toMatch(/\b\d{16}\b/);
}

async function noticeRows(participantId: string) {
  const db = connectTestDatabase();
  try {
    return await db.participantNotice.findMany({ where: { participantId }, orderBy: { createdAt: 'asc' } });
  } finally {
    await db.$disconnect();
  }
}

describe('notices', () => {
  it('tells a participant of every milestone once, by email, in both languages', async () => {
    // Ten seconds to buy, a reminder with four left: the reminder is sent, then the purchase.
    const wave = await createOpenWave({ calendar: { ...FAST_CALENDAR, trainingPurchaseDeadline: 'PT15S', purchaseReminderLead: 'PT10S', maxDeadlineExtension: 'PT1M' } });
    const registered = await registerAndVerify();
    const { participantId, registration, resident } = registered;
    await setPayoutAccount(participantId);
    await selectInWave(participantId, wave.id);

    const reminder = await eventually(async () => (await noticesTo(registration.email)).find((mail) => englishSubject(mail.subject).startsWith('Reminder')), 'the purchase reminder', 30_000);
    expect(reminder.text).toContain('WIB');
    expect(reminder.text).toContain('Rp 1.000.000');
    await takeTraining(participantId, { complete: true });
    for (const sequence of [1, 2, 3]) {
      await waitForState(participantId, `survey ${sequence} to open`, (state) => state.surveys?.[sequence - 1]?.status === 'OPEN');
      expect((await api('POST', `/v1/participants/${participantId}/surveys/${sequence}`, { body: { answers: { employed: true } } })).status).toBe(200);
    }
    await waitForStage(participantId, 'COMPLETED');

    // The last notice goes out as the journey ends.
    const notices = await eventually(async () => {
      const received = await noticesTo(registration.email);
      return received.some((mail) => englishSubject(mail.subject) === 'You have completed the Jalur program') ? received : undefined;
    }, 'the completion notice');
    const subjects = notices.map((mail) => englishSubject(mail.subject));
    expect(subjects).toHaveLength(17);
    expect(new Set(notices.map((mail) => mail.messageId)).size).toBe(17);
    // Each arrived once: never handed to the mail server a second time.
    expect(notices.map((mail) => mail.deliveries)).toEqual(notices.map(() => 1));
    for (const mail of notices) expectBothLanguagesAndNoNik(mail.text, resident.nik);

    const rows = await noticeRows(participantId);
    expect(rows.map((row) => row.milestone).sort()).toEqual(
      [
        'EMAIL_VERIFIED',
        'ELIGIBLE',
        `APPLIED_TO_WAVE:${wave.id}`,
        `SELECTED:${wave.id}`,
        'PURCHASE_REMINDER',
        'TRAINING_COMPLETED',
        ...[1, 2, 3, 4].map((n) => `PAYMENT:INCENTIVE:${n}`),
        ...[1, 2, 3].map((n) => `SURVEY_OPEN:${n}`),
        ...[1, 2, 3].map((n) => `PAYMENT:SURVEY:${n}`),
        'COMPLETED',
      ].sort(),
    );
    expect(rows.every((row) => row.status === 'SENT' && row.channel === 'EMAIL' && row.attempts === 1)).toBe(true);

    const incentive = notices.filter((mail) => mail.text.includes('Rp 600.000'));
    expect(incentive).toHaveLength(4);
    expect(incentive[0]!.text).toContain('Rp 600,000');
    expect(notices.filter((mail) => mail.text.includes('Rp 50.000')).length).toBeGreaterThanOrEqual(3);
    expect(notices.find((mail) => englishSubject(mail.subject) === 'You have completed the Jalur program')!.text).toContain('Rp 2.550.000');
    await recordHistory(`participant-${participantId}`, 'journey-completed-with-notices');
  });

  it('sends a participant who chose SMS their notices as text messages, and only the verification code by email', async () => {
    const phone = uniquePhone();
    const { participantId, registration } = await registerAndVerify({}, { phone, noticeChannel: 'SMS', language: 'en' });
    await waitForStage(participantId, 'ELIGIBLE');
    const texts = await eventually(async () => {
      const received = await textsTo(phone);
      return received.length >= 2 ? received : undefined;
    }, 'two text messages');
    expect(texts.map((message) => message.idempotencyKey).sort()).toEqual([`notice:${participantId}:ELIGIBLE`, `notice:${participantId}:EMAIL_VERIFIED`]);
    expect(texts.every((message) => message.channel === 'SMS' && message.repeats === 0 && message.text.includes('— English —'))).toBe(true);
    // The email address only ever received its verification code.
    expect((await mailTo(registration.email)).map((mail) => mail.token !== null)).toEqual([true]);
  });

  it('tells an ineligible participant every failed criterion in both languages with its legal basis', async () => {
    const tenYearsAgo = new Date();
    tenYearsAgo.setUTCFullYear(tenYearsAgo.getUTCFullYear() - 10);
    const { participantId, registration, resident } = await registerAndVerify({ isStudent: true, dateOfBirth: tenYearsAgo.toISOString().slice(0, 10) });
    const ended = await waitForStage(participantId, 'INELIGIBLE');
    const notice = await eventually(async () => (await noticesTo(registration.email)).find((mail) => englishSubject(mail.subject) === "You do not meet the Jalur program's requirements"), 'the ineligibility notice');
    expectBothLanguagesAndNoNik(notice.text, resident.nik);
    const [indonesian, english] = notice.text.split('— English —') as [string, string];
    const reasons = ended.eligibility.reasons as Array<{ code: string; reference?: string; messages?: { id: string; en: string } }>;
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    for (const reason of reasons) {
      expect(indonesian).toContain(reason.messages!.id);
      expect(english).toContain(reason.messages!.en);
      expect(indonesian).toContain(reason.reference!);
    }
    // How to appeal, and until when.
    expect(indonesian).toMatch(/mengajukan sanggahan[^\n]*paling lambat [^\n]*WIB/);
    expect(english).toMatch(/you may appeal[^\n]*until [^\n]*WIB/);
  });

  it('tells a participant whose identity did not match what to correct and by when', async () => {
    const { participantId, registration } = await registerAndVerify({}, { fullName: 'Nama Yang Salah' });
    const waiting = await waitForStage(participantId, 'AWAITING_IDENTITY_CORRECTION');
    const notice = await eventually(async () => (await noticesTo(registration.email)).find((mail) => englishSubject(mail.subject) === 'Your identity details need correcting'), 'the identity notice');
    const [indonesian, english] = notice.text.split('— English —') as [string, string];
    expect(waiting.deadlines.identityCorrectionBy).toEqual(expect.any(String));
    expect(indonesian).toMatch(/WIB/);
    expect(english).toMatch(/WIB/);
    // One check used, two left.
    expect(indonesian).toContain('Kesempatan pemeriksaan yang tersisa: 2 kali');
    await api('POST', `/v1/participants/${participantId}/cancellation`, { key: KEYS.operator, body: { reason: 'end of test' } });
  });

  it('sends no notice twice when the worker is killed while notices are on their way', async () => {
    // Slow channels: the notices are surely in flight when the worker dies.
    expect((await sim('PUT', '/sim/faults/mail', { latencyMs: 3_000 })).status).toBe(200);
    expect((await sim('PUT', '/sim/faults/messaging', { latencyMs: 3_000 })).status).toBe(200);
    let participants: Array<RegisteredParticipant & { phone: string }> = [];
    try {
      participants = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(async (i) => {
          const phone = uniquePhone();
          const registered = await registerAndVerify({}, i % 2 === 0 ? { phone } : { phone, noticeChannel: 'SMS' });
          return { ...registered, phone };
        }),
      );
      await eventually(async () => {
        const sending = (await Promise.all(participants.map((p) => noticeRows(p.participantId)))).flat().filter((row) => row.status === 'SENDING');
        return sending.length >= 3 ? sending : undefined;
      }, 'notices in flight');
      await killStackWorker();
    } finally {
      await sim('PUT', '/sim/faults/mail', {});
      await sim('PUT', '/sim/faults/messaging', {});
      await startReplacementWorker();
    }

    // Every participant reaches ELIGIBLE; both of their notices (email verified, eligible) are sent once.
    for (const { participantId, registration, phone } of participants) {
      await waitForStage(participantId, 'ELIGIBLE', 150_000);
      const rows = await eventually(async () => {
        const found = await noticeRows(participantId);
        return found.length === 2 && found.every((row) => row.status === 'SENT') ? found : undefined;
      }, 'both notices sent', 150_000);
      expect(rows.map((row) => row.milestone).sort()).toEqual(['ELIGIBLE', 'EMAIL_VERIFIED']);
      if (rows[0]!.channel === 'SMS') {
        const texts = await textsTo(phone);
        // The gateway received each notice once; a send cut short by the kill was repeated under
        // the same Idempotency-Key, which the gateway answered without a second message.
        expect(texts.map((message) => message.idempotencyKey).sort()).toEqual([`notice:${participantId}:ELIGIBLE`, `notice:${participantId}:EMAIL_VERIFIED`]);
      } else {
        const notices = await noticesTo(registration.email);
        expect(notices).toHaveLength(2);
        expect(new Set(notices.map((mail) => mail.messageId)).size).toBe(2);
        // A repeat of a message cut short by the kill carries the same Message-ID and is filed once;
        // only a notice whose row was still SENDING at the kill may have been handed over twice.
        for (const [mail, row] of notices.map((mail) => [mail, rows.find((r) => r.reference === mail.messageId)] as const)) {
          expect(row).toBeDefined();
          expect(mail.deliveries).toBeLessThanOrEqual(row!.attempts);
        }
      }
    }
  });
});
