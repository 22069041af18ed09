/**
 * The mail the engine sends: an SMTP server (no auth, no TLS, loopback) that keeps every
 * message, and /sim/mail so tests can read a participant's verification code. Like a real
 * mailbox (Gmail), a message arriving again with a Message-ID the recipient already has is not
 * filed twice: the copy on file counts one more delivery, so a test sees that a sender repeated itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import { simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { z } from 'zod';
import type { Admission, FaultInjector } from './faults';
import { parseRequestPart } from './request-validation';
import { memoryOnlyJournal, type StateJournal } from './state-journal';
import type { SystemStats } from './system-stats';

export interface ReceivedMail {
  /** One envelope recipient: a message to several people is stored once per recipient. */
  to: string;
  from: string;
  subject: string;
  text: string;
  /** From the line "Verification code: <token>" in the engine's verification mail; null when absent. */
  token: string | null;
  /** The Message-ID header as sent (angle brackets included); null when the message had none. */
  messageId: string | null;
  /** How many times this message reached this recipient: more than 1 when it arrived again under the same Message-ID. */
  deliveries: number;
  /** When it was first filed. */
  receivedAt: string;
}

const VERIFICATION_CODE_PATTERN = /Verification code:\s*([A-Za-z0-9_-]+)/;

export function extractVerificationToken(text: string): string | null {
  return VERIFICATION_CODE_PATTERN.exec(text)?.[1] ?? null;
}

/**
 * One line of mail.jsonl: one message as filed for one recipient, or a message that arrived again
 * for a recipient under a Message-ID already on file. Lines written before Message-IDs were kept
 * have neither `messageId` nor `deliveries`: read as null and 1.
 */
export const mailJournalEntrySchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('received'),
      mail: z
        .object({
          to: z.string(),
          from: z.string(),
          subject: z.string(),
          text: z.string(),
          token: z.string().nullable(),
          messageId: z.string().nullable().optional(),
          deliveries: z.number().int().min(1).optional(),
          receivedAt: z.string(),
        })
        .strict(),
    })
    .strict(),
  z.object({ type: z.literal('repeated'), to: z.string(), messageId: z.string() }).strict(),
]);

export type MailJournalEntry = z.infer<typeof mailJournalEntrySchema>;

/** What arrives for one recipient; the mailbox counts the deliveries. */
export type IncomingMail = Omit<ReceivedMail, 'deliveries'>;

/** Addresses compare case-insensitively; a message without a Message-ID is never a repeat. */
const repeatKey = (to: string, messageId: string): string => `${to.trim().toLowerCase()}\n${messageId}`;

export class Mailbox {
  private messages: ReceivedMail[] = [];
  /** The messages that carry a Message-ID, by recipient and Message-ID: the same objects as `messages`. */
  private readonly byMessageId = new Map<string, ReceivedMail>();

  constructor(private readonly journal: StateJournal<MailJournalEntry> = memoryOnlyJournal()) {}

  /** Replays what the journal held at start. */
  restore(entries: Iterable<MailJournalEntry>): void {
    for (const entry of entries) {
      this.apply(entry);
    }
  }

  /**
   * Files the message for its recipient, or counts one more delivery of the one on file when the
   * recipient already has this Message-ID. Journaled before it returns, so the SMTP server answers
   * 250 only for kept mail.
   */
  receive(mail: IncomingMail): 'filed' | 'repeated' {
    if (mail.messageId !== null && this.byMessageId.has(repeatKey(mail.to, mail.messageId))) {
      this.commit({ type: 'repeated', to: mail.to, messageId: mail.messageId });
      return 'repeated';
    }
    this.commit({ type: 'received', mail: { ...mail, deliveries: 1 } });
    return 'filed';
  }

  /** Oldest first, copies; addresses compare case-insensitively. */
  list(to?: string): ReceivedMail[] {
    const wanted = to?.trim().toLowerCase();
    const matching = wanted === undefined ? this.messages : this.messages.filter((mail) => mail.to.toLowerCase() === wanted);
    return matching.map((mail) => ({ ...mail }));
  }

  reset(): void {
    this.journal.clear();
    this.messages = [];
    this.byMessageId.clear();
  }

  /** Every change goes through here: on disk first, then in memory, exactly as `restore` replays it. */
  private commit(entry: MailJournalEntry): void {
    this.journal.append(entry);
    this.apply(entry);
  }

  private apply(entry: MailJournalEntry): void {
    switch (entry.type) {
      case 'received': {
        const mail: ReceivedMail = { ...entry.mail, messageId: entry.mail.messageId ?? null, deliveries: entry.mail.deliveries ?? 1 };
        this.messages.push(mail);
        if (mail.messageId !== null) {
          this.byMessageId.set(repeatKey(mail.to, mail.messageId), mail);
        }
        return;
      }
      case 'repeated': {
        const mail = this.byMessageId.get(repeatKey(entry.to, entry.messageId));
        if (mail !== undefined) mail.deliveries += 1;
        return;
      }
    }
  }
}

export interface SmtpServerDependencies {
  mailbox: Mailbox;
  injector: FaultInjector;
  stats: SystemStats;
  now: () => number;
  logger: Logger;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

/** SMTP reply codes for injected faults: all 4xx, so a sender treats them as "try again later". */
const SMTP_FAULT_REPLY: Record<Exclude<Admission, { kind: 'proceed' }>['fault'], { code: number; text: string }> = {
  outage: { code: 421, text: 'Service not available (simulated outage)' },
  errorRate: { code: 451, text: 'Local error in processing (simulated random error)' },
  rateLimit: { code: 450, text: 'Too many messages this second (simulated rate limit)' },
};

function smtpFault(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

export function createSmtpServer(dependencies: SmtpServerDependencies): SMTPServer {
  const { mailbox, injector, stats, now, logger } = dependencies;

  async function receiveMessage(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    // Parse first: the stream must be read to the end whatever the outcome.
    const parsed = await simpleParser(stream);
    const admission = injector.admit('mail');
    if (admission.delayMs > 0) {
      await sleep(admission.delayMs);
    }
    if (admission.kind === 'reject') {
      const reply = SMTP_FAULT_REPLY[admission.fault];
      throw smtpFault(reply.code, reply.text);
    }
    const text = parsed.text ?? '';
    const receivedAt = new Date(now()).toISOString();
    const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
    for (const recipient of session.envelope.rcptTo) {
      mailbox.receive({
        to: recipient.address,
        from,
        subject: parsed.subject ?? '',
        text,
        token: extractVerificationToken(text),
        messageId: parsed.messageId ?? null,
        receivedAt,
      });
    }
    stats.recordAnswer('mail', 250);
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    banner: 'Jalur simulated mail server',
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    // Shutdown should not wait the default 30 s for idle pooled connections.
    closeTimeout: 1000,
    onData(stream, session, callback) {
      receiveMessage(stream, session).then(
        () => callback(),
        (err: unknown) => {
          if (err instanceof Error && 'responseCode' in err) {
            callback(err);
            return;
          }
          logger.error({ err }, 'could not read an incoming message');
          callback(smtpFault(451, 'Could not read the message'));
        },
      );
    },
  });
  // smtp-server passes a connection's socket errors on to the server: a sender that dies in the
  // middle of a message (a worker killed with SIGKILL) resets its connection. Without a listener
  // that 'error' event would end the whole simulator process; it concerns only that connection.
  server.on('error', (err: Error & { code?: string }) => logger.warn({ code: err.code, message: err.message }, 'an SMTP connection ended with an error'));
  return server;
}

const mailQuerySchema = z.object({ to: z.string().min(1).max(320).optional() });

/** Mounted at /sim/mail. */
export function createMailControlRouter(mailbox: Mailbox): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { to } = parseRequestPart(mailQuerySchema, req.query, 'query');
    res.json(mailbox.list(to));
  });
  return router;
}
