/**
 * The payment provider: idempotent disbursements keyed by the Idempotency-Key header, for a
 * limited window only. After the window the provider forgets a key and a replay pays again,
 * on purpose: the engine's own ledger must be what prevents double payment.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { PAYOUT_ACCOUNT_TYPES } from '../lib/payout-account';
import { programDateAt } from '../lib/program-day';
import { SimulatorHttpError } from './http-errors';
import { parseRequestPart } from './request-validation';
import { memoryOnlyJournal, type StateJournal } from './state-journal';
import type { FaultKind } from './system-stats';

export const disbursementBodySchema = z
  .object({
    participantId: z.string().min(1).max(100),
    amount: z.number().int().positive().max(100_000_000),
    currency: z.literal('IDR'),
    purpose: z.string().min(1).max(200),
    account: z
      .object({
        type: z.enum(PAYOUT_ACCOUNT_TYPES),
        provider: z.string().min(1).max(100),
        accountNumber: z.string().min(1).max(64),
        accountName: z.string().min(1).max(200),
      })
      .strict(),
  })
  .strict();

export type DisbursementBody = z.infer<typeof disbursementBodySchema>;

const idempotencyKeyHeaderSchema = z.object({
  'idempotency-key': z
    .string({ error: 'the Idempotency-Key header is required' })
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7E]+$/, 'printable ASCII without spaces'),
});

export interface Disbursement {
  disbursementId: string;
  status: 'COMPLETED';
  amount: number;
  idempotencyKey: string;
  completedAt: string;
}

export type PaymentRequestStatus = 'PAID' | 'REPLAYED' | 'REJECTED' | 'FAILED';

/** One request the provider received. Account details are left out: the log is personal-data free. */
export interface PaymentRequestRecord {
  idempotencyKey: string | null;
  participantId: string;
  amount: number;
  purpose: string;
  status: PaymentRequestStatus;
  disbursementId?: string;
  /** Why a request was REJECTED (business code) or FAILED (injected fault). */
  reason?: 'ACCOUNT_CLOSED' | 'IDEMPOTENCY_KEY_REUSED' | FaultKind;
  receivedAt: string;
}

export type DisbursementOutcome =
  | { kind: 'paid'; disbursement: Disbursement }
  | { kind: 'replayed'; disbursement: Disbursement }
  | { kind: 'keyReused' }
  | { kind: 'accountClosed' };

const disbursementSchema = z
  .object({
    disbursementId: z.string(),
    status: z.literal('COMPLETED'),
    amount: z.number(),
    idempotencyKey: z.string(),
    completedAt: z.string(),
  })
  .strict();

const paymentRequestRecordSchema = z
  .object({
    idempotencyKey: z.string().nullable(),
    participantId: z.string(),
    amount: z.number(),
    purpose: z.string(),
    status: z.enum(['PAID', 'REPLAYED', 'REJECTED', 'FAILED']),
    disbursementId: z.string().optional(),
    reason: z.enum(['ACCOUNT_CLOSED', 'IDEMPOTENCY_KEY_REUSED', 'outage', 'errorRate', 'rateLimit']).optional(),
    receivedAt: z.string(),
  })
  .strict();

/**
 * How many lines of one day's statement are falsified, each kind on lines of its own: dropped
 * (missing), listed twice (duplicate), with another amount (wrongAmount), reported REVERSED
 * (reversal); `unknown` adds payments under keys the engine never sent.
 */
export const statementFaultsSchema = z
  .object({
    missing: z.number().int().min(0).max(1000).default(0),
    duplicate: z.number().int().min(0).max(1000).default(0),
    wrongAmount: z.number().int().min(0).max(1000).default(0),
    reversal: z.number().int().min(0).max(1000).default(0),
    unknown: z.number().int().min(0).max(1000).default(0),
  })
  .strict();
export type StatementFaults = z.infer<typeof statementFaultsSchema>;

/**
 * One line of payments.jsonl. `paid` carries what answers a retried key (fingerprint,
 * disbursement, when it was stored); every request, whatever its outcome, is one line.
 */
export const paymentJournalEntrySchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('paid'),
      request: paymentRequestRecordSchema,
      bodyFingerprint: z.string(),
      disbursement: disbursementSchema,
      storedAtMs: z.number(),
    })
    .strict(),
  z.object({ type: z.literal('request'), request: paymentRequestRecordSchema }).strict(),
  z.object({ type: z.literal('accountClosed'), accountNumber: z.string() }).strict(),
  z.object({ type: z.literal('accountReopened'), accountNumber: z.string() }).strict(),
  z.object({ type: z.literal('idempotencyWindow'), seconds: z.number().int().min(1) }).strict(),
  z.object({ type: z.literal('statementFaults'), day: z.iso.date(), faults: statementFaultsSchema }).strict(),
]);

export type PaymentJournalEntry = z.infer<typeof paymentJournalEntrySchema>;

type FalsifiedKind = Exclude<keyof StatementFaults, 'unknown'>;
const FALSIFIED_KINDS: readonly FalsifiedKind[] = ['missing', 'duplicate', 'wrongAmount', 'reversal'];

export interface StatementLine {
  disbursementId: string;
  idempotencyKey: string;
  amount: number;
  status: 'COMPLETED' | 'REVERSED';
  settledAt: string;
}

/** What the knobs did to a day's statement, by the idempotency keys they touched. */
export type StatementFaultEffects = Record<keyof StatementFaults, string[]>;

/** Added to a line's amount by the wrongAmount knob. */
const WRONG_AMOUNT_DELTA = 50_000;
/** The amount of each payment the unknown knob invents. */
const UNKNOWN_PAYMENT_AMOUNT = 600_000;

interface RememberedKey {
  bodyFingerprint: string;
  disbursement: Disbursement;
  storedAtMs: number;
}

export interface PaymentSummary {
  requests: number;
  paid: { count: number; amount: number };
  replayed: number;
  rejected: number;
  failed: number;
  participantsPaid: number;
  byParticipant?: Record<string, { paidCount: number; paidAmount: number }>;
}

function fingerprintOf(body: DisbursementBody): string {
  // Fixed field order, so the same instruction always has the same fingerprint. Hashed, so a
  // journaled payment is one short line without account details.
  const { participantId, amount, currency, purpose, account } = body;
  const instruction = JSON.stringify([participantId, amount, currency, purpose, account.type, account.provider, account.accountNumber, account.accountName]);
  return createHash('sha256').update(instruction).digest('hex');
}

export class PaymentProvider {
  private readonly rememberedKeys = new Map<string, RememberedKey>();
  /** Every disbursement ever made, by key: unlike the idempotency window, this record never expires. */
  private readonly disbursementsByKey = new Map<string, Disbursement[]>();
  private readonly closedAccounts = new Set<string>();
  private requests: PaymentRequestRecord[] = [];
  private idempotencyWindowSeconds: number;
  private readonly statementFaultsByDay = new Map<string, StatementFaults>();
  /**
   * Each day's statement as last computed: a day's statement is read a page at a time, and
   * computing it scans every disbursement ever made, so a million-line day read in pages of 1,000
   * would otherwise scan it a thousand times. A payment completed that day or the day's faults
   * changing drops it.
   */
  private readonly statementsByDay = new Map<string, { lines: StatementLine[]; effects: StatementFaultEffects }>();
  private readonly journal: StateJournal<PaymentJournalEntry>;

  constructor(
    private readonly options: { idempotencyWindowSeconds: number; now: () => number; journal?: StateJournal<PaymentJournalEntry> },
  ) {
    this.idempotencyWindowSeconds = options.idempotencyWindowSeconds;
    this.journal = options.journal ?? memoryOnlyJournal();
  }

  /** Replays what the journal held at start. */
  restore(entries: Iterable<PaymentJournalEntry>): void {
    for (const entry of entries) {
      this.apply(entry);
    }
  }

  get idempotencyWindow(): number {
    return this.idempotencyWindowSeconds;
  }

  /** A knob for tests: a window of seconds lets a retry outlast it without waiting a day. */
  setIdempotencyWindow(seconds: number): void {
    this.commit({ type: 'idempotencyWindow', seconds });
  }

  /** What a real provider's "get disbursement by external id" answers, long after the window. */
  disbursementsFor(idempotencyKey: string): Disbursement[] {
    return [...(this.disbursementsByKey.get(idempotencyKey) ?? [])];
  }

  setStatementFaults(day: string, faults: StatementFaults): void {
    this.commit({ type: 'statementFaults', day, faults });
  }

  /**
   * A WIB day's statement: every disbursement completed that day, by completion time, with the
   * day's fault knobs applied. The lines a knob falsifies are picked in the order of a hash of
   * their key, so the same payments give the same statement on every read.
   */
  statement(day: string): { lines: readonly StatementLine[]; effects: StatementFaultEffects } {
    const computed = this.statementsByDay.get(day) ?? this.computeStatement(day);
    this.statementsByDay.set(day, computed);
    return computed;
  }

  private computeStatement(day: string): { lines: StatementLine[]; effects: StatementFaultEffects } {
    const genuine: StatementLine[] = [];
    for (const disbursements of this.disbursementsByKey.values()) {
      for (const { disbursementId, idempotencyKey, amount, completedAt } of disbursements) {
        if (programDateAt(new Date(completedAt)) === day) genuine.push({ disbursementId, idempotencyKey, amount, status: 'COMPLETED', settledAt: completedAt });
      }
    }
    genuine.sort((a, b) => a.settledAt.localeCompare(b.settledAt) || a.disbursementId.localeCompare(b.disbursementId));

    const faults = this.statementFaultsByDay.get(day) ?? statementFaultsSchema.parse({});
    const effects: StatementFaultEffects = { missing: [], duplicate: [], wrongAmount: [], reversal: [], unknown: [] };
    const falsified = new Map<string, FalsifiedKind>();
    const byHash = [...genuine].sort((a, b) => keyHash(day, a.idempotencyKey).localeCompare(keyHash(day, b.idempotencyKey)));
    let next = 0;
    for (const kind of FALSIFIED_KINDS) {
      for (let n = 0; n < faults[kind] && next < byHash.length; n++, next++) {
        falsified.set(byHash[next]!.disbursementId, kind);
        effects[kind].push(byHash[next]!.idempotencyKey);
      }
    }

    const lines: StatementLine[] = [];
    for (const line of genuine) {
      switch (falsified.get(line.disbursementId)) {
        case 'missing':
          break;
        case 'duplicate':
          lines.push(line, { ...line, disbursementId: `${line.disbursementId}-dup` });
          break;
        case 'wrongAmount':
          lines.push({ ...line, amount: line.amount + WRONG_AMOUNT_DELTA });
          break;
        case 'reversal':
          lines.push({ ...line, status: 'REVERSED' });
          break;
        case undefined:
          lines.push(line);
      }
    }
    const noonWib = new Date(Date.parse(`${day}T05:00:00Z`)).toISOString();
    for (let n = 1; n <= faults.unknown; n++) {
      const idempotencyKey = `unknown-${day}-${n}`;
      lines.push({ disbursementId: `dsb_unknown_${day}_${n}`, idempotencyKey, amount: UNKNOWN_PAYMENT_AMOUNT, status: 'COMPLETED', settledAt: noonWib });
      effects.unknown.push(idempotencyKey);
    }
    return { lines, effects };
  }

  /** Journaled before it returns: a payment is on disk before the provider reports it. */
  disburse(idempotencyKey: string, body: DisbursementBody): DisbursementOutcome {
    const nowMs = this.options.now();
    this.forgetExpiredKeys(nowMs);
    const request = (status: PaymentRequestStatus, extra: Pick<PaymentRequestRecord, 'disbursementId' | 'reason'>): PaymentRequestRecord => ({
      idempotencyKey,
      participantId: body.participantId,
      amount: body.amount,
      purpose: body.purpose,
      status,
      ...extra,
      receivedAt: new Date(nowMs).toISOString(),
    });

    const bodyFingerprint = fingerprintOf(body);
    const remembered = this.rememberedKeys.get(idempotencyKey);
    if (remembered !== undefined) {
      if (remembered.bodyFingerprint !== bodyFingerprint) {
        this.commit({ type: 'request', request: request('REJECTED', { reason: 'IDEMPOTENCY_KEY_REUSED' }) });
        return { kind: 'keyReused' };
      }
      this.commit({ type: 'request', request: request('REPLAYED', { disbursementId: remembered.disbursement.disbursementId }) });
      return { kind: 'replayed', disbursement: remembered.disbursement };
    }
    // A refusal does not use up the key: once the account is fixed, the same payment may go through.
    if (this.closedAccounts.has(body.account.accountNumber)) {
      this.commit({ type: 'request', request: request('REJECTED', { reason: 'ACCOUNT_CLOSED' }) });
      return { kind: 'accountClosed' };
    }
    const disbursement: Disbursement = {
      disbursementId: `dsb_${randomUUID()}`,
      status: 'COMPLETED',
      amount: body.amount,
      idempotencyKey,
      completedAt: new Date(nowMs).toISOString(),
    };
    this.commit({ type: 'paid', request: request('PAID', { disbursementId: disbursement.disbursementId }), bodyFingerprint, disbursement, storedAtMs: nowMs });
    return { kind: 'paid', disbursement };
  }

  /** Records a disbursement request that an injected fault turned away before it was processed. */
  recordFaultedRequest(idempotencyKey: string | null, body: DisbursementBody, fault: FaultKind): void {
    this.commit({
      type: 'request',
      request: {
        idempotencyKey,
        participantId: body.participantId,
        amount: body.amount,
        purpose: body.purpose,
        status: 'FAILED',
        reason: fault,
        receivedAt: new Date(this.options.now()).toISOString(),
      },
    });
  }

  closeAccount(accountNumber: string): void {
    if (!this.closedAccounts.has(accountNumber)) {
      this.commit({ type: 'accountClosed', accountNumber });
    }
  }

  reopenAccount(accountNumber: string): boolean {
    if (!this.closedAccounts.has(accountNumber)) {
      return false;
    }
    this.commit({ type: 'accountReopened', accountNumber });
    return true;
  }

  requestLog(participantId?: string): PaymentRequestRecord[] {
    return participantId === undefined
      ? [...this.requests]
      : this.requests.filter((request) => request.participantId === participantId);
  }

  summary(includeByParticipant: boolean): PaymentSummary {
    const byParticipant = new Map<string, { paidCount: number; paidAmount: number }>();
    const summary: PaymentSummary = { requests: this.requests.length, paid: { count: 0, amount: 0 }, replayed: 0, rejected: 0, failed: 0, participantsPaid: 0 };
    for (const request of this.requests) {
      if (request.status === 'PAID') {
        summary.paid.count += 1;
        summary.paid.amount += request.amount;
        const totals = byParticipant.get(request.participantId) ?? { paidCount: 0, paidAmount: 0 };
        totals.paidCount += 1;
        totals.paidAmount += request.amount;
        byParticipant.set(request.participantId, totals);
      } else if (request.status === 'REPLAYED') {
        summary.replayed += 1;
      } else if (request.status === 'REJECTED') {
        summary.rejected += 1;
      } else {
        summary.failed += 1;
      }
    }
    summary.participantsPaid = byParticipant.size;
    if (includeByParticipant) {
      summary.byParticipant = Object.fromEntries(byParticipant);
    }
    return summary;
  }

  reset(): void {
    this.journal.clear();
    this.idempotencyWindowSeconds = this.options.idempotencyWindowSeconds;
    this.disbursementsByKey.clear();
    this.rememberedKeys.clear();
    this.closedAccounts.clear();
    this.statementFaultsByDay.clear();
    this.statementsByDay.clear();
    this.requests = [];
  }

  /** Every change goes through here: on disk first, then in memory, exactly as `restore` replays it. */
  private commit(entry: PaymentJournalEntry): void {
    this.journal.append(entry);
    this.apply(entry);
  }

  private apply(entry: PaymentJournalEntry): void {
    switch (entry.type) {
      case 'paid': {
        const { idempotencyKey } = entry.disbursement;
        // Delete first, so the Map stays in storing order even when an expired key pays again.
        this.rememberedKeys.delete(idempotencyKey);
        this.rememberedKeys.set(idempotencyKey, { bodyFingerprint: entry.bodyFingerprint, disbursement: entry.disbursement, storedAtMs: entry.storedAtMs });
        const madeUnderKey = this.disbursementsByKey.get(idempotencyKey);
        if (madeUnderKey === undefined) {
          this.disbursementsByKey.set(idempotencyKey, [entry.disbursement]);
        } else {
          madeUnderKey.push(entry.disbursement);
        }
        this.requests.push(entry.request);
        this.statementsByDay.delete(programDateAt(new Date(entry.disbursement.completedAt)));
        return;
      }
      case 'request':
        this.requests.push(entry.request);
        return;
      case 'accountClosed':
        this.closedAccounts.add(entry.accountNumber);
        return;
      case 'accountReopened':
        this.closedAccounts.delete(entry.accountNumber);
        return;
      case 'idempotencyWindow':
        this.idempotencyWindowSeconds = entry.seconds;
        return;
      case 'statementFaults':
        this.statementFaultsByDay.set(entry.day, entry.faults);
        this.statementsByDay.delete(entry.day);
        return;
    }
  }

  private forgetExpiredKeys(nowMs: number): void {
    const windowMs = this.idempotencyWindowSeconds * 1000;
    // Keys sit in the Map in the order they were stored, so the expired ones are at the front.
    for (const [key, remembered] of this.rememberedKeys) {
      if (nowMs - remembered.storedAtMs < windowMs) {
        break;
      }
      this.rememberedKeys.delete(key);
    }
  }
}

function keyHash(day: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${day}\n${idempotencyKey}`).digest('hex');
}

/** For the fault gate: keep a FAILED record of a well-formed disbursement that a fault turned away. */
export function recordFaultedDisbursement(provider: PaymentProvider, req: Request, fault: FaultKind): void {
  if (req.method !== 'POST' || req.path !== '/v1/disbursements') {
    return;
  }
  const body = disbursementBodySchema.safeParse(req.body);
  if (!body.success) {
    return;
  }
  const key = req.get('Idempotency-Key');
  provider.recordFaultedRequest(key === undefined || key === '' ? null : key, body.data, fault);
}

/** Mounted at /payments, behind the payments fault gate. */
export function createPaymentsRouter(provider: PaymentProvider): Router {
  const router = Router();
  router.post('/v1/disbursements', (req, res) => {
    const body = parseRequestPart(disbursementBodySchema, req.body, 'body');
    const { 'idempotency-key': idempotencyKey } = parseRequestPart(idempotencyKeyHeaderSchema, req.headers, 'headers');
    const outcome = provider.disburse(idempotencyKey, body);
    switch (outcome.kind) {
      case 'paid':
        res.status(201).json(outcome.disbursement);
        return;
      case 'replayed':
        res.status(200).json(outcome.disbursement);
        return;
      case 'keyReused':
        throw new SimulatorHttpError(
          409,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used for a different disbursement',
        );
      case 'accountClosed':
        throw new SimulatorHttpError(422, 'ACCOUNT_CLOSED', 'The destination account is closed');
    }
  });
  router.get('/v1/statements/:day', (req, res) => {
    const { day } = parseRequestPart(statementDayParamsSchema, req.params, 'params');
    const { cursor, limit } = parseRequestPart(statementQuerySchema, req.query, 'query');
    // The cursor is the offset of the page's first line: the statement of a past day never changes order.
    const { lines } = provider.statement(day);
    const page = lines.slice(cursor, cursor + limit);
    const nextCursor = cursor + limit < lines.length ? String(cursor + limit) : null;
    res.json({ day, lines: page, nextCursor });
  });
  router.get('/v1/disbursements', (req, res) => {
    const { idempotencyKey } = parseRequestPart(disbursementLookupQuerySchema, req.query, 'query');
    res.json(provider.disbursementsFor(idempotencyKey));
  });
  return router;
}

const statementDayParamsSchema = z.object({ day: z.iso.date() });
const statementQuerySchema = z
  .object({
    cursor: z.string().regex(/^\d{1,9}$/, 'an opaque cursor from nextCursor').transform(Number).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .strict();
const disbursementLookupQuerySchema = z.object({ idempotencyKey: z.string().min(1).max(255) }).strict();
const idempotencyWindowBodySchema = z.object({ seconds: z.number().int().min(1).max(7 * 86_400) }).strict();

const closedAccountBodySchema = z.object({ accountNumber: z.string().min(1).max(64) }).strict();
const paymentLogQuerySchema = z.object({ participantId: z.string().min(1).optional() });
const paymentSummaryQuerySchema = z.object({ byParticipant: z.enum(['true', 'false']).optional() });

/** Mounted at /sim/payments: test and benchmark controls, never faulted. */
export function createPaymentsControlRouter(provider: PaymentProvider): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { participantId } = parseRequestPart(paymentLogQuerySchema, req.query, 'query');
    res.json(provider.requestLog(participantId));
  });
  router.get('/summary', (req, res) => {
    const { byParticipant } = parseRequestPart(paymentSummaryQuerySchema, req.query, 'query');
    res.json(provider.summary(byParticipant === 'true'));
  });
  router.get('/idempotency-window', (_req, res) => {
    res.json({ seconds: provider.idempotencyWindow });
  });
  router.put('/idempotency-window', (req, res) => {
    const { seconds } = parseRequestPart(idempotencyWindowBodySchema, req.body, 'body');
    provider.setIdempotencyWindow(seconds);
    res.json({ seconds });
  });
  router.get('/statement-faults/:day', (req, res) => {
    const { day } = parseRequestPart(statementDayParamsSchema, req.params, 'params');
    res.json({ day, effects: provider.statement(day).effects });
  });
  router.put('/statement-faults/:day', (req, res) => {
    const { day } = parseRequestPart(statementDayParamsSchema, req.params, 'params');
    const faults = parseRequestPart(statementFaultsSchema, req.body, 'body');
    provider.setStatementFaults(day, faults);
    res.json({ day, faults, effects: provider.statement(day).effects });
  });
  router.post('/closed-accounts', (req, res) => {
    const { accountNumber } = parseRequestPart(closedAccountBodySchema, req.body, 'body');
    provider.closeAccount(accountNumber);
    res.status(201).json({ accountNumber, closed: true });
  });
  router.delete('/closed-accounts/:accountNumber', (req, res) => {
    const reopened = provider.reopenAccount(req.params.accountNumber);
    if (!reopened) {
      throw new SimulatorHttpError(404, 'NOT_FOUND', 'That account is not marked closed');
    }
    res.status(204).end();
  });
  return router;
}
