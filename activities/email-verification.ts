// Sends the verification mail over SMTP. The token is derived from the participant id and the
// attempt with a secret key, so a retried activity sends the same token, never a second one.
import { createHash, createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../lib/database';
import type { PersonalDataCipher } from '../lib/personal-data';
import { sendMail } from './clients/mail';
import { callOutsideSystem } from './outside-call';

export interface EmailVerificationDeps {
  prisma: PrismaClient;
  personalData: PersonalDataCipher;
  mailer: Transporter;
  mailFrom: string;
  tokenKey: Buffer;
}

export function verificationToken(tokenKey: Buffer, participantId: string, attempt: number): string {
  return createHmac('sha256', tokenKey).update(`email-verification:${participantId}:${attempt}`).digest('base64url').slice(0, 22);
}

export function createEmailVerificationActivities(deps: EmailVerificationDeps) {
  return {
    /** Returns only the token's SHA-256: the workflow checks tokens without ever holding one. */
    async sendVerificationEmail({ participantId, attempt }: { participantId: string; attempt: number }): Promise<{ tokenHash: string }> {
      const participant = await deps.prisma.participant.findUniqueOrThrow({ where: { id: participantId } });
      const person = deps.personalData.openPersonalData(participantId, participant.personalData);
      const token = verificationToken(deps.tokenKey, participantId, attempt);
      const message = {
        from: deps.mailFrom,
        to: person.email,
        subject: 'Jalur: verifikasi email Anda / verify your email',
        text: [
          `Halo ${person.fullName},`,
          '',
          'Masukkan kode ini untuk memverifikasi email Anda. Enter this code to verify your email.',
          '',
          `Verification code: ${token}`,
          '',
          `Participant: ${participantId}`,
        ].join('\n'),
      };
      await callOutsideSystem(() => sendMail(deps.mailer, message));
      return { tokenHash: createHash('sha256').update(token).digest('hex') };
    },
  };
}
