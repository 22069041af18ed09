// The reconciliation benchmark's payment provider: the payment simulator in a process of its own
// (so its million disbursements in memory are not counted as the importing worker's), holding
// `--payments` disbursements of one WIB day made through its own `disburse`, a minute's fraction
// apart, under the keys `<prefix><n>`, with the day's statement faults set. Prints one JSON line,
// `{"url": ...}`, once it listens; ends when its parent closes stdin.
import { createSimulators } from '../simulators/app';
import { statementFaultsSchema } from '../simulators/payments';
import { serveOnEphemeralPort } from '../simulators/test-servers';
import { argument, wholeNumber } from './command-line';
import { PAYOUT_AMOUNT, settlementTimeMs } from './reconciliation.seed';

async function main(): Promise<void> {
  const day = argument('day', '');
  const payments = wholeNumber('payments', 1_000);
  const keyPrefix = argument('key-prefix', 'bench-import:');
  const faults = statementFaultsSchema.parse(JSON.parse(argument('faults', '{}')));
  let nowMs = 0;
  // A day's idempotency window: no key is forgotten while the day is paid.
  const simulators = createSimulators({ populationSize: 10, paymentsIdempotencyWindowSeconds: 86_400, now: () => nowMs });
  const account = { type: 'BANK' as const, provider: 'BNI', accountNumber: '0123456789', accountName: 'Bench Payee' };
  for (let n = 1; n <= payments; n++) {
    nowMs = settlementTimeMs(day, n, payments);
    const outcome = simulators.state.payments.disburse(`${keyPrefix}${n}`, { participantId: `bench-${n % 1000}`, amount: PAYOUT_AMOUNT, currency: 'IDR', purpose: 'INCENTIVE_1', account });
    if (outcome.kind !== 'paid') throw new Error(`payment ${n} was not paid: ${outcome.kind}`);
  }
  simulators.state.payments.setStatementFaults(day, faults);
  const server = await serveOnEphemeralPort(simulators.app);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void server.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
