// Money. Every movement is a ledger row whose idempotency key is its business identity
// (`<participantId>:incentive:<n>`), unique in the database, and the same key goes to the
// payment provider. So a retry, a crash or a replay can never pay an item twice, and the
// per-participant cap is checked under a row lock before any new payout is claimed.
import { ApplicationFailure } from '@temporalio/activity';
import type { PaymentProviderClient } from './clients/payment-provider-client';
import { OutsideSystemRejectedError } from './clients/errors';
import { isUniqueViolation, type PrismaClient } from '../lib/database';
import { ENVELOPE_CONTEXT, type PayoutAccount, type PersonalDataCipher } from '../lib/personal-data';
import { INCENTIVE_AMOUNT, INCENTIVE_COUNT, SURVEY_AMOUNT, SURVEY_COUNT } from '../workflows/participant-journey.definitions';

/** Rp 2,550,000: four incentives and three surveys; with the training balance, Rp 3,550,000. */
export const MAX_PAYOUT_PER_PARTICIPANT = INCENTIVE_AMOUNT * INCENTIVE_COUNT + SURVEY_AMOUNT * SURVEY_COUNT;

export type LedgerKind = 'TRAINING_CREDIT' | 'TRAINING_PURCHASE' | 'TRAINING_LAPSE' | 'REPAYMENT_DUE';
export type PayoutKind = 'INCENTIVE' | 'SURVEY';
export type PayoutResult =
  | { status: 'PAID'; idempotencyKey: string; paidAt: string }
  | { status: 'NO_PAYOUT_ACCOUNT' | 'ACCOUNT_CLOSED'; idempotencyKey: string };

export const payoutIdempotencyKey = (participantId: string, kind: PayoutKind, sequence: number) =>
  `${participantId}:${kind.toLowerCase()}:${sequence}`;

export function createLedgerActivities(deps: { prisma: PrismaClient; personalData: PersonalDataCipher; paymentProvider: PaymentProviderClient }) {
  const { prisma } = deps;

  /** Claims the payout's ledger row, or finds the one an earlier attempt claimed (`claimedBefore`). */
  async function claimPayout(participantId: string, kind: PayoutKind, sequence: number, amount: number, idempotencyKey: string) {
    const existing = await prisma.ledgerEntry.findUnique({ where: { idempotencyKey } });
    if (existing) return { entry: existing, claimedBefore: true };
    try {
      return await prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Participant" WHERE id = ${participantId}::uuid FOR UPDATE`;
        const { _sum } = await tx.ledgerEntry.aggregate({
          where: { participantId, kind: { in: ['INCENTIVE', 'SURVEY'] }, status: { not: 'REJECTED' } },
          _sum: { amount: true },
        });
        if ((_sum.amount ?? 0) + amount > MAX_PAYOUT_PER_PARTICIPANT) {
          throw ApplicationFailure.nonRetryable(`Payout would exceed the per-participant maximum`, 'PAYOUT_CAP_EXCEEDED');
        }
        return { entry: await tx.ledgerEntry.create({ data: { participantId, kind, sequence, amount, idempotencyKey } }), claimedBefore: false };
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { entry: await prisma.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey } }), claimedBefore: true };
      throw error;
    }
  }

  return {
    /** Balance movements that need no outside call; idempotent by key. */
    async recordLedgerEntry(entry: { participantId: string; kind: LedgerKind; amount: number; idempotencyKey: string; dueAt?: string }): Promise<void> {
      try {
        await prisma.ledgerEntry.create({
          data: { ...entry, dueAt: entry.dueAt ? new Date(entry.dueAt) : undefined, status: 'SETTLED', settledAt: new Date() },
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    },

    async payParticipant({ participantId, kind, sequence, amount }: { participantId: string; kind: PayoutKind; sequence: number; amount: number }): Promise<PayoutResult> {
      const idempotencyKey = payoutIdempotencyKey(participantId, kind, sequence);
      const { entry, claimedBefore } = await claimPayout(participantId, kind, sequence, amount, idempotencyKey);
      if (entry.status === 'SETTLED') return { status: 'PAID', idempotencyKey, paidAt: entry.settledAt!.toISOString() };
      if (claimedBefore) {
        // An earlier attempt claimed this payout and may have reached the provider before it was
        // lost (crash, timeout). The provider forgets keys after its idempotency window, so
        // resending could pay twice: ask it first whether that attempt was paid.
        const earlier = await deps.paymentProvider.disbursementsUnder(idempotencyKey);
        if (earlier.length > 0) {
          const settledAt = new Date();
          await prisma.ledgerEntry.update({
            where: { idempotencyKey },
            data: { status: 'SETTLED', settledAt, providerReference: earlier[0]!.disbursementId, failureCode: null },
          });
          return { status: 'PAID', idempotencyKey, paidAt: settledAt.toISOString() };
        }
      }

      const participant = await prisma.participant.findUniqueOrThrow({ where: { id: participantId }, select: { payoutAccount: true } });
      if (!participant.payoutAccount) return { status: 'NO_PAYOUT_ACCOUNT', idempotencyKey };
      const account = deps.personalData.decrypt<PayoutAccount>(participant.payoutAccount, ENVELOPE_CONTEXT.payoutAccount(participantId));

      try {
        const disbursement = await deps.paymentProvider.disburse({
          idempotencyKey,
          participantId,
          amount: entry.amount,
          purpose: `${kind.toLowerCase()} ${sequence}`,
          account,
        });
        const settledAt = new Date();
        await prisma.ledgerEntry.update({
          where: { idempotencyKey },
          data: { status: 'SETTLED', settledAt, providerReference: disbursement.disbursementId, failureCode: null },
        });
        return { status: 'PAID', idempotencyKey, paidAt: settledAt.toISOString() };
      } catch (error) {
        if (error instanceof OutsideSystemRejectedError && error.code === 'ACCOUNT_CLOSED') {
          // The row stays PENDING: once the participant fixes the account, the same key is paid.
          await prisma.ledgerEntry.update({ where: { idempotencyKey }, data: { failureCode: 'ACCOUNT_CLOSED' } });
          return { status: 'ACCOUNT_CLOSED', idempotencyKey };
        }
        throw error;
      }
    },
  };
}
