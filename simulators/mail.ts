/**
 * The mail the engine sends: an SMTP server (no auth, no TLS, loopback) that keeps every
 * message, and /sim/mail so tests can read a participant's verification code.
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
  receivedAt: string;
}

const VERIFICATION_CODE_PATTERN = /Verification code:\s*([A-Za-z0-9_-]+)/;

export function extractVerificationToken(text: string): string | null {
  return VERIFICATION_CODE_PATTERN.exec(text)?.[1] ?? null;
}

/** One line of mail.jsonl: one message as filed for one recipient. */
export const mailJournalEntrySchema = z
  .object({
    type: z.literal('received'),
    mail: z
      .object({
        to: z.string(),
        from: z.string(),
        subject: z.string(),
        text: z.string(),
        token: z.string().nullable(),
        receivedAt: z.string(),
      })
      .strict(),
  })
  .strict();

export type MailJournalEntry = z.infer<typeof mailJournalEntrySchema>;

export class Mailbox {
  private messages: ReceivedMail[] = [];

  constructor(private readonly journal: StateJournal<MailJournalEntry> = memoryOnlyJournal()) {}

  /** Replays what the journal held at start. */
  restore(entries: Iterable<MailJournalEntry>): void {
    for (const entry of entries) {
      this.messages.push(entry.mail);
    }
  }

  /** Journaled before it returns, so the SMTP server answers 250 only for kept mail. */
  receive(mail: ReceivedMail): void {
    this.journal.append({ type: 'received', mail });
    this.messages.push(mail);
  }

  /** Oldest first; addresses compare case-insensitively. */
  list(to?: string): ReceivedMail[] {
    if (to === undefined) {
      return [...this.messages];
    }
    const wanted = to.trim().toLowerCase();
    return this.messages.filter((mail) => mail.to.toLowerCase() === wanted);
  }

  reset(): void {
    this.journal.clear();
    this.messages = [];
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
        receivedAt,
      });
    }
    stats.recordAnswer('mail', 250);
  }

  return new SMTPServer({
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
