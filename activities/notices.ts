// Sends a participant one notice, once per participant and milestone. The row (participant,
// milestone) is claimed before the send and marked SENT after it, so a retry, a replay or a
// worker that died sends nothing once the row says SENT. The one gap no sender can close, a
// crash after the mail server or gateway accepted the message and before the row was marked,
// is closed on the receiving side: the resend carries the same Message-ID (mailboxes file a
// repeated Message-ID once) or the same Idempotency-Key (the gateway answers it from memory).
import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../lib/database';
import type { ParticipantPersonalData, PersonalDataCipher } from '../lib/personal-data';
import { type Notice, type NoticeChannel, noticeMilestone } from '../notices/notice';
import { type RenderedNotice, renderNotice } from '../notices/render';
import { sendMail } from './clients/mail';
import type { MessagingGatewayClient } from './clients/messaging-gateway-client';
import { callOutsideSystem } from './outside-call';

export interface NoticeDeps {
  prisma: PrismaClient;
  personalData: PersonalDataCipher;
  mailer: Transporter;
  mailFrom: string;
  messaging: MessagingGatewayClient;
}

export type NoticeOutcome = 'SENT' | 'ALREADY_SENT' | 'NO_CONTACT_DATA';

/** The Message-ID of a notice: the same for every attempt, and saying nothing about the person. */
export function noticeMessageId(participantId: string, milestone: string): string {
  const digest = createHash('sha256').update(`${participantId}:${milestone}`).digest('hex').slice(0, 40);
  return `<notice.${digest}@jalur.notices>`;
}

/** The gateway's Idempotency-Key: the participant id (not personal data) and the milestone. */
export const noticeIdempotencyKey = (participantId: string, milestone: string) => `notice:${participantId}:${milestone}`;

/**
 * One channel a notice reaches a participant by: the reference the receiving side recognises a
 * repeat by, and the send. The same for every notice kind; a new channel is one more entry.
 */
interface Channel {
  reference(participantId: string, milestone: string): string;
  send(to: ParticipantPersonalData, notice: RenderedNotice, reference: string): Promise<unknown>;
}

function channels(deps: NoticeDeps): Record<NoticeChannel, Channel> {
  return {
    EMAIL: {
      reference: noticeMessageId,
      send: (to, { subject, text }, messageId) => sendMail(deps.mailer, { from: deps.mailFrom, to: to.email, subject, text, messageId }),
    },
    SMS: {
      reference: noticeIdempotencyKey,
      send: (to, { subject, text }, idempotencyKey) => deps.messaging.sendTextMessage({ to: to.phone, channel: 'SMS', text: `${subject}\n\n${text}`, idempotencyKey }),
    },
  };
}

export function createNoticeActivities(deps: NoticeDeps) {
  const { prisma } = deps;
  const byChannel = channels(deps);
  return {
    /** `resend` (an operator's n-th resend) makes it a message of its own: `<milestone>:resend-<n>`. */
    async sendNotice({ participantId, notice, resend }: { participantId: string; notice: Notice; resend?: number }): Promise<{ outcome: NoticeOutcome }> {
      const milestone = resend === undefined ? noticeMilestone(notice) : `${noticeMilestone(notice)}:resend-${resend}`;
      const key = { participantId_milestone: { participantId, milestone } };
      const existing = await prisma.participantNotice.findUnique({ where: key, select: { status: true } });
      if (existing?.status === 'SENT') return { outcome: 'ALREADY_SENT' };

      const participant = await prisma.participant.findUniqueOrThrow({ where: { id: participantId }, select: { personalData: true, noticeChannel: true } });
      // Erased by the retention job: nobody left to write to.
      if (participant.personalData === null) return { outcome: 'NO_CONTACT_DATA' };
      const person = deps.personalData.openPersonalData(participantId, participant.personalData);
      const channel = participant.noticeChannel;
      const reference = byChannel[channel].reference(participantId, milestone);
      await prisma.participantNotice.upsert({
        where: key,
        create: { participantId, milestone, kind: notice.kind, channel, status: 'SENDING', reference },
        update: { attempts: { increment: 1 } },
      });

      const rendered = renderNotice(notice, { fullName: person.fullName, participantId });
      await callOutsideSystem(() => byChannel[channel].send(person, rendered, reference));
      await prisma.participantNotice.update({ where: key, data: { status: 'SENT', sentAt: new Date() } });
      return { outcome: 'SENT' };
    },
  };
}
