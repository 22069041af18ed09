// What a finished journey must have cost, checked against the payment provider's own record of
// every request it received (not only our ledger) and against PostgreSQL's ledger.
import pg from 'pg';
import { BALANCE_CREDIT, PAYOUT_TOTAL } from './compressed-journeys';
import { request } from './stack-http';

interface ProviderRecord {
  idempotencyKey: string | null;
  participantId: string;
  amount: number;
  status: string;
}

export interface MoneyCheck {
  participants: number;
  /** Idempotency keys the provider paid more than once. */
  keysPaidTwice: string[];
  /** Participants whose provider-paid total or count is not the whole program's. */
  wrongProviderTotals: string[];
  /** Participants whose ledger credit is not Rp 1,000,000 or whose settled payouts are not Rp 2,550,000. */
  wrongLedgerTotals: string[];
  providerPaidAmount: number;
  providerReplays: number;
}

/** The reliability suite's and the cluster's checks: `stack` says where the provider and the ledger are. */
export async function checkMoney(participantIds: string[], stack: { simulatorsUrl: string; databaseUrl: string }): Promise<MoneyCheck> {
  const wanted = new Set(participantIds);
  const log = await request<ProviderRecord[]>(stack.simulatorsUrl, 'GET', '/sim/payments');
  if (log.status !== 200) throw new Error(`payment log: HTTP ${log.status}`);
  const ours = log.body.filter((record) => wanted.has(record.participantId));
  const paidPerKey = new Map<string, number>();
  const perParticipant = new Map<string, { count: number; amount: number }>();
  for (const record of ours) {
    if (record.status !== 'PAID') continue;
    paidPerKey.set(record.idempotencyKey ?? '(none)', (paidPerKey.get(record.idempotencyKey ?? '(none)') ?? 0) + 1);
    const totals = perParticipant.get(record.participantId) ?? { count: 0, amount: 0 };
    totals.count += 1;
    totals.amount += record.amount;
    perParticipant.set(record.participantId, totals);
  }

  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  let ledger: Array<{ participantId: string; credit: string | null; payouts: string | null; unsettled: string }>;
  try {
    ({ rows: ledger } = await db.query(
      `SELECT "participantId",
              SUM(amount) FILTER (WHERE kind = 'TRAINING_CREDIT') AS credit,
              SUM(amount) FILTER (WHERE kind IN ('INCENTIVE', 'SURVEY') AND status = 'SETTLED') AS payouts,
              COUNT(*) FILTER (WHERE kind IN ('INCENTIVE', 'SURVEY') AND status <> 'SETTLED') AS unsettled
         FROM "LedgerEntry" WHERE "participantId" = ANY($1::uuid[]) GROUP BY "participantId"`,
      [participantIds],
    ));
  } finally {
    await db.end();
  }
  const ledgerBy = new Map(ledger.map((row) => [row.participantId, row]));

  return {
    participants: participantIds.length,
    keysPaidTwice: [...paidPerKey].filter(([, count]) => count > 1).map(([key]) => key),
    wrongProviderTotals: participantIds.filter((id) => {
      const totals = perParticipant.get(id);
      return totals?.count !== 7 || totals.amount !== PAYOUT_TOTAL;
    }),
    wrongLedgerTotals: participantIds.filter((id) => {
      const row = ledgerBy.get(id);
      return Number(row?.credit) !== BALANCE_CREDIT || Number(row?.payouts) !== PAYOUT_TOTAL || Number(row?.unsettled) !== 0;
    }),
    providerPaidAmount: [...perParticipant.values()].reduce((sum, totals) => sum + totals.amount, 0),
    providerReplays: ours.filter((record) => record.status === 'REPLAYED').length,
  };
}
