/**
 * The text-message gateway (SMS, WhatsApp) that carries notices to a participant's phone. The
 * idempotency key must be the notice's own stable key, so a retried activity is answered with the
 * message the gateway already accepted and the phone gets it once. The same key with a changed
 * message is refused (409 IDEMPOTENCY_KEY_REUSED, an OutsideSystemRejectedError), as is a number
 * the gateway does not take (400, `refusedFields` naming `body.to`).
 */
import { z } from 'zod';
import type { TextMessageChannel } from '../../lib/outside-systems';
import { OutsideSystemHttp, type OutsideSystemClientOptions } from './http';

export type { TextMessageChannel } from '../../lib/outside-systems';

const acceptedSchema = z.object({
  messageId: z.string().min(1).max(255),
  status: z.literal('ACCEPTED'),
  acceptedAt: z.iso.datetime({ offset: true }),
});

export interface TextMessage {
  /** An Indonesian mobile number in E.164, e.g. +6281234567890. */
  to: string;
  channel: TextMessageChannel;
  /** 1 to 4096 characters. */
  text: string;
  /** The notice's stable key: 1 to 200 characters of A-Z a-z 0-9 : . _ - */
  idempotencyKey: string;
}

export interface TextMessageReceipt {
  /** The gateway's id of the message; the same on every send under the same key. */
  messageId: string;
  /** When the gateway first accepted it (ISO 8601). */
  acceptedAt: string;
}

export class MessagingGatewayClient {
  private readonly http: OutsideSystemHttp;

  constructor(options: OutsideSystemClientOptions) {
    this.http = new OutsideSystemHttp('messaging', options);
  }

  async sendTextMessage(message: TextMessage): Promise<TextMessageReceipt> {
    const { to, channel, text, idempotencyKey } = message;
    const response = await this.http.request({
      method: 'POST',
      path: '/messaging/messages',
      headers: { 'Idempotency-Key': idempotencyKey },
      body: { to, channel, text },
      responseSchema: acceptedSchema,
    });
    return { messageId: response.body.messageId, acceptedAt: response.body.acceptedAt };
  }
}
