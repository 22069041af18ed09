/**
 * The payment provider. The idempotency key must be a business identity (participant,
 * payment kind, sequence) so a retried activity replays the same payment instead of paying
 * twice; the provider only remembers keys for a limited window, so the engine's ledger
 * remains the real guard.
 */
import { z } from 'zod';
import type { PayoutAccount } from '../../lib/payout-account';
import { OutsideSystemHttp, type OutsideSystemClientOptions } from './http';

const disbursementSchema = z.object({
  disbursementId: z.string().min(1),
  status: z.enum(['COMPLETED']),
  amount: z.number().int(),
  idempotencyKey: z.string(),
});

const statementPageSchema = z.object({
  lines: z.array(
    z.object({
      disbursementId: z.string().min(1).max(255),
      idempotencyKey: z.string().min(1).max(255),
      amount: z.number().int(),
      status: z.enum(['COMPLETED', 'REVERSED']),
      settledAt: z.iso.datetime({ offset: true }),
    }),
  ),
  nextCursor: z.string().min(1).nullable(),
});

/** One page of a day's statement; `nextCursor` fetches the next, null after the last. */
export type StatementPage = z.infer<typeof statementPageSchema>;
export type StatementLine = StatementPage['lines'][number];

export type DisbursementStatus = z.infer<typeof disbursementSchema>['status'];

export interface DisbursementInstruction {
  idempotencyKey: string;
  participantId: string;
  /** Whole rupiah. */
  amount: number;
  purpose: string;
  account: PayoutAccount;
}

export interface DisbursementResult {
  disbursementId: string;
  status: DisbursementStatus;
  /** True when the provider had already paid under this key and returned that payment again. */
  replayed: boolean;
}

export class PaymentProviderClient {
  private readonly http: OutsideSystemHttp;

  constructor(options: OutsideSystemClientOptions) {
    this.http = new OutsideSystemHttp('payments', options);
  }

  /**
   * The disbursements the provider made under this key, however long ago: how a retry learns that
   * an earlier attempt was paid after the provider has forgotten the key for idempotency.
   */
  async disbursementsUnder(idempotencyKey: string): Promise<Array<{ disbursementId: string; amount: number }>> {
    const response = await this.http.request({
      method: 'GET',
      path: `/payments/v1/disbursements?idempotencyKey=${encodeURIComponent(idempotencyKey)}`,
      responseSchema: z.array(disbursementSchema),
    });
    return response.body.map(({ disbursementId, amount }) => ({ disbursementId, amount }));
  }

  /** The provider's statement of a WIB day (YYYY-MM-DD), one page at a time. */
  async statementPage(day: string, cursor: string | undefined, limit: number): Promise<StatementPage> {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor === undefined ? {} : { cursor }) });
    const response = await this.http.request({
      method: 'GET',
      path: `/payments/v1/statements/${encodeURIComponent(day)}?${query.toString()}`,
      responseSchema: statementPageSchema,
    });
    return response.body;
  }

  async disburse(instruction: DisbursementInstruction): Promise<DisbursementResult> {
    const { idempotencyKey, participantId, amount, purpose, account } = instruction;
    const response = await this.http.request({
      method: 'POST',
      path: '/payments/v1/disbursements',
      headers: { 'Idempotency-Key': idempotencyKey },
      body: { participantId, amount, currency: 'IDR', purpose, account },
      responseSchema: disbursementSchema,
    });
    return {
      disbursementId: response.body.disbursementId,
      status: response.body.status,
      replayed: response.status === 200,
    };
  }
}
