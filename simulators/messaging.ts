/**
 * The text-message gateway (SMS and WhatsApp) the engine sends participants' notices through.
 * Idempotent by the Idempotency-Key header, like a real gateway (and unlike the payment provider,
 * without a window: a key is remembered until /sim/reset): a retried send under the same key gets
 * the original answer and no second message reaches the phone, which `repeats` counts.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { TEXT_MESSAGE_CHANNELS, type TextMessageChannel } from '../lib/outside-systems';
import { SimulatorHttpError, type FieldIssue } from './http-errors';
import { parseRequestPart } from './request-validation';
import { memoryOnlyJournal, type StateJournal } from './state-journal';

/** An Indonesian mobile number in E.164: +62, then 8 to 12 digits, the first an 8. */
const INDONESIAN_MOBILE_E164 = /^\+628\d{7,11}$/;

export const textMessageBodySchema = z
  .object({
    to: z.string().regex(INDONESIAN_MOBILE_E164, 'an Indonesian mobile number in E.164: +62, then 8 to 12 digits starting with 8'),
    channel: z.enum(TEXT_MESSAGE_CHANNELS),
    text: z.string().min(1).max(4096),
  })
  .strict();

export type TextMessageBody = z.infer<typeof textMessageBodySchema>;

const idempotencyKeyHeaderSchema = z.object({
  'idempotency-key': z
    .string({ error: 'the Idempotency-Key header is required' })
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9:._-]+$/, 'letters, digits and : . _ - only'),
});

/** What the gateway answers to a send, the first time and to every repeat of it. */
export interface TextMessageReceipt {
  messageId: string;
  status: 'ACCEPTED';
  acceptedAt: string;
}

/** One message as the gateway passed it on. */
export interface ReceivedTextMessage {
  to: string;
  channel: TextMessageChannel;
  text: string;
  idempotencyKey: string;
  messageId: string;
  /** Sends repeated under the same key with the same message: answered again, not passed on again. */
  repeats: number;
  receivedAt: string;
}

const acceptedMessageSchema = z
  .object({
    to: z.string(),
    channel: z.enum(TEXT_MESSAGE_CHANNELS),
    text: z.string(),
    idempotencyKey: z.string(),
    messageId: z.string(),
    receivedAt: z.string(),
  })
  .strict();

/** One line of messages.jsonl: a message accepted, or a send of it repeated under its key. */
export const messagingJournalEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accepted'), message: acceptedMessageSchema }).strict(),
  z.object({ type: z.literal('repeated'), idempotencyKey: z.string() }).strict(),
]);

export type MessagingJournalEntry = z.infer<typeof messagingJournalEntrySchema>;

export type TextMessageOutcome =
  | { kind: 'accepted'; receipt: TextMessageReceipt }
  | { kind: 'repeated'; receipt: TextMessageReceipt }
  | { kind: 'keyReused' };

const receiptOf = (message: ReceivedTextMessage): TextMessageReceipt => ({ messageId: message.messageId, status: 'ACCEPTED', acceptedAt: message.receivedAt });

export class MessagingGateway {
  /** Oldest first; the same objects as `byKey` holds. */
  private messages: ReceivedTextMessage[] = [];
  private readonly byKey = new Map<string, ReceivedTextMessage>();
  private readonly journal: StateJournal<MessagingJournalEntry>;

  constructor(private readonly options: { now: () => number; journal?: StateJournal<MessagingJournalEntry> }) {
    this.journal = options.journal ?? memoryOnlyJournal();
  }

  /** Replays what the journal held at start. */
  restore(entries: Iterable<MessagingJournalEntry>): void {
    for (const entry of entries) {
      this.apply(entry);
    }
  }

  /** Journaled before it returns: a message is on disk before the gateway reports it accepted. */
  send(idempotencyKey: string, body: TextMessageBody): TextMessageOutcome {
    const known = this.byKey.get(idempotencyKey);
    if (known !== undefined) {
      if (known.to !== body.to || known.channel !== body.channel || known.text !== body.text) {
        return { kind: 'keyReused' };
      }
      this.commit({ type: 'repeated', idempotencyKey });
      return { kind: 'repeated', receipt: receiptOf(known) };
    }
    const message = {
      to: body.to,
      channel: body.channel,
      text: body.text,
      idempotencyKey,
      messageId: `msg_${randomUUID()}`,
      receivedAt: new Date(this.options.now()).toISOString(),
    };
    this.commit({ type: 'accepted', message });
    return { kind: 'accepted', receipt: receiptOf(this.byKey.get(idempotencyKey)!) };
  }

  /** Oldest first, copies. */
  list(to?: string): ReceivedTextMessage[] {
    const wanted = to === undefined ? this.messages : this.messages.filter((message) => message.to === to);
    return wanted.map((message) => ({ ...message }));
  }

  reset(): void {
    this.journal.clear();
    this.messages = [];
    this.byKey.clear();
  }

  /** Every change goes through here: on disk first, then in memory, exactly as `restore` replays it. */
  private commit(entry: MessagingJournalEntry): void {
    this.journal.append(entry);
    this.apply(entry);
  }

  private apply(entry: MessagingJournalEntry): void {
    switch (entry.type) {
      case 'accepted': {
        const message: ReceivedTextMessage = { ...entry.message, repeats: 0 };
        this.messages.push(message);
        this.byKey.set(message.idempotencyKey, message);
        return;
      }
      case 'repeated': {
        const message = this.byKey.get(entry.idempotencyKey);
        if (message !== undefined) message.repeats += 1;
        return;
      }
    }
  }
}

/** Body and header together, so a 400 lists every field that is wrong. */
function parseSendRequest(req: Request): { idempotencyKey: string; body: TextMessageBody } {
  const fields: FieldIssue[] = [];
  const parse = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (err instanceof SimulatorHttpError && err.fields !== undefined) {
        fields.push(...err.fields);
        return undefined;
      }
      throw err;
    }
  };
  const body = parse(() => parseRequestPart(textMessageBodySchema, req.body, 'body'));
  const headers = parse(() => parseRequestPart(idempotencyKeyHeaderSchema, req.headers, 'headers'));
  if (body === undefined || headers === undefined) {
    throw new SimulatorHttpError(400, 'VALIDATION_FAILED', 'The request is invalid', fields);
  }
  return { idempotencyKey: headers['idempotency-key'], body };
}

/** Mounted at /messaging, behind the messaging fault gate. */
export function createMessagingRouter(gateway: MessagingGateway): Router {
  const router = Router();
  router.post('/messages', (req, res) => {
    const { idempotencyKey, body } = parseSendRequest(req);
    const outcome = gateway.send(idempotencyKey, body);
    switch (outcome.kind) {
      case 'accepted':
        res.status(201).json(outcome.receipt);
        return;
      case 'repeated':
        res.status(200).json(outcome.receipt);
        return;
      case 'keyReused':
        throw new SimulatorHttpError(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different message');
    }
  });
  return router;
}

const messagesQuerySchema = z.object({
  to: z
    .string()
    .min(1)
    .max(32)
    // An unencoded "+" in a query string arrives as a space: `?to=+62...` means what it says.
    .transform((to) => to.trim().replace(/^(?=62)/, '+'))
    .optional(),
});

/** Mounted at /sim/messages: what reached each phone, for tests. Never faulted. */
export function createMessagingControlRouter(gateway: MessagingGateway): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { to } = parseRequestPart(messagesQuerySchema, req.query, 'query');
    res.json(gateway.list(to));
  });
  return router;
}
