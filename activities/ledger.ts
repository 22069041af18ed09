// Money. Every movement is a ledger row whose idempotency key is its business identity
// (`<participantId>:incentive:<n>`), unique in the database, and the same key goes to the
// payment provider. So a retry, a crash or a replay can never pay an item twice, and the
// per-participant cap (from the terms of the wave the participant was selected in) is checked
// under a row lock before any new payout is claimed.
import { ApplicationFailure } from '@temporalio/activity';
import type { DisbursementInstruction, PaymentProviderClient } from './clients/payment-provider-client';
import { OutsideSystemRejectedError } from './clients/errors';
import { callOutsideSystem } from './outside-call';
import { isUniqueViolation, type Prisma, type PrismaClient } from '../lib/database';
import type { PayoutAccount } from '../lib/payout-account';
import { ENVELOPE_CONTEXT, type PersonalDataCipher } from '../lib/personal-data';
import type { PayoutBlockedReason } from '../workflows/participant-journey.definitions';
import { DEFAULT_PROGRAM_TERMS, maxPayoutUnder, type ProgramTerms } from '../lib/program-terms';
import { storedTermsOf } from '../lib/program-terms.schema';

/** Movements the journey records itself (payouts go through payParticipant). */
export type LedgerKind = 'TRAINING_CREDIT' | 'TRAINING_PURCHASE' | 'TRAINING_LAPSE' | 'REPAYMENT_DUE' | 'REPAYMENT_CANCELLED';
export type PayoutKind = 'INCENTIVE' | 'SURVEY';
/** What the journey waits on until the participant gives a payout account the provider can pay. */
export type PayoutBlockedStatus = Exclude<PayoutBlockedReason, 'PAYMENT_REFUSED'>;
export type PayoutResult =
  | { status: 'PAID'; idempotencyKey: string; paidAt: string }
  | { status: PayoutBlockedStatus; idempotencyKey: string };

export const payoutIdempotencyKey = (participantId: string, kind: PayoutKind, sequence: number) =>
  `${participantId}:${kind.toLowerCase()}:${sequence}`;

/** The provider's refusals that another payout account fixes, as the status the journey waits on; undefined for the rest. */
export function payoutBlockedBy(refusal: OutsideSystemRejectedError): PayoutBlockedStatus | undefined {
  if (refusal.code === 'ACCOUNT_CLOSED') return 'ACCOUNT_CLOSED';
  const onlyTheAccountRefused =
    refusal.refusedFields.length > 0 && refusal.refusedFields.every((field) => field === 'body.account' || field.startsWith('body.account.'));
  if (refusal.code === 'VALIDATION_FAILED' && onlyTheAccountRefused) return 'ACCOUNT_INVALID';
  return undefined;
}

/**
 * The terms of the wave the participant was selected in (fixed from the wave's close on); the
 * 2020 terms for a participant never selected.
 */
async function termsOfParticipant(db: Prisma.TransactionClient, participantId: string): Promise<ProgramTerms> {
  const selection = await db.waveApplication.findFirst({ where: { participantId, status: 'SELECTED' }, select: { wave: { select: { id: true, terms: true } } } });
  return selection ? storedTermsOf(selection.wave) : DEFAULT_PROGRAM_TERMS;
}

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
        if ((_sum.amount ?? 0) + amount > maxPayoutUnder(await termsOfParticipant(tx, participantId))) {
          throw ApplicationFailure.nonRetryable(`Payout would exceed the per-participant maximum`, 'PAYOUT_CAP_EXCEEDED');
        }
        return { entry: await tx.ledgerEntry.create({ data: { participantId, kind, sequence, amount, idempotencyKey } }), claimedBefore: false };
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { entry: await prisma.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey } }), claimedBefore: true };
      throw error;
    }
  }

  /** The reference of a payment the provider already made under this key, however long ago. */
  async function earlierDisbursement(idempotencyKey: string): Promise<string | undefined> {
    const earlier = await callOutsideSystem(() => deps.paymentProvider.disbursementsUnder(idempotencyKey));
    return earlier[0]?.disbursementId;
  }

  /**
   * Sends the payout. A refusal that another payout account fixes comes back as `blocked`; any
   * other refusal is thrown, for callOutsideSystem to fail the activity with its type. Either way
   * the row stays PENDING with the refusal's code, so operators see why it is unpaid, and whatever
   * pays the item later pays it under the same key.
   */
  async function disburse(instruction: DisbursementInstruction): Promise<{ paidUnder: string } | { blocked: PayoutBlockedStatus }> {
    try {
      return { paidUnder: (await deps.paymentProvider.disburse(instruction)).disbursementId };
    } catch (error) {
      if (!(error instanceof OutsideSystemRejectedError)) throw error;
      if (error.code === 'IDEMPOTENCY_KEY_REUSED') {
        // An earlier attempt, still in flight when this one asked the provider, was paid under the
        // key with the account as it was then: that payment stands.
        const paidUnder = await earlierDisbursement(instruction.idempotencyKey);
        if (paidUnder !== undefined) return { paidUnder };
      }
      await prisma.ledgerEntry.update({ where: { idempotencyKey: instruction.idempotencyKey }, data: { failureCode: error.code } });
      const blocked = payoutBlockedBy(error);
      if (blocked !== undefined) return { blocked };
      throw error;
    }
  }

  async function settlePayout(idempotencyKey: string, providerReference: string): Promise<PayoutResult> {
    const settledAt = new Date();
    await prisma.ledgerEntry.update({ where: { idempotencyKey }, data: { status: 'SETTLED', settledAt, providerReference, failureCode: null } });
    return { status: 'PAID', idempotencyKey, paidAt: settledAt.toISOString() };
  }

  return {
    /** Balance movements that need no outside call; idempotent by key. A training credit is at most the terms' balance. */
    async recordLedgerEntry(entry: { participantId: string; kind: LedgerKind; amount: number; idempotencyKey: string; dueAt?: string }): Promise<void> {
      if (entry.kind === 'TRAINING_CREDIT' && entry.amount > (await termsOfParticipant(prisma, entry.participantId)).trainingBalance) {
        throw ApplicationFailure.nonRetryable('Training credit above the training balance of the participant\'s terms', 'TRAINING_CREDIT_ABOVE_TERMS');
      }
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
        const paidUnder = await earlierDisbursement(idempotencyKey);
        if (paidUnder !== undefined) return settlePayout(idempotencyKey, paidUnder);
      }

      const participant = await prisma.participant.findUniqueOrThrow({ where: { id: participantId }, select: { payoutAccount: true } });
      if (!participant.payoutAccount) return { status: 'NO_PAYOUT_ACCOUNT', idempotencyKey };
      const account = deps.personalData.decrypt<PayoutAccount>(participant.payoutAccount, ENVELOPE_CONTEXT.payoutAccount(participantId));

      const outcome = await callOutsideSystem(() => disburse({ idempotencyKey, participantId, amount: entry.amount, purpose: `${kind.toLowerCase()} ${sequence}`, account }));
      if ('blocked' in outcome) return { status: outcome.blocked, idempotencyKey };
      return settlePayout(idempotencyKey, outcome.paidUnder);
    },
  };
}
