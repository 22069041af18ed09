// Participants written straight to the database with a payout account, for tests of the ledger's
// payouts that need no journey: created and removed (with their ledger rows) by one object.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../lib/database';
import type { PayoutAccount } from '../../lib/payout-account';
import { ENVELOPE_CONTEXT, type PersonalDataCipher } from '../../lib/personal-data';

export const PAYEE_ACCOUNT: PayoutAccount = { type: 'BANK', provider: 'BNI', accountNumber: '0123456789', accountName: 'Dewi Lestari' };

export function testPayees(prisma: PrismaClient, cipher: PersonalDataCipher, label: string) {
  const ids: string[] = [];
  return {
    /** A participant receiving incentives, with PAYEE_ACCOUNT as their payout account. */
    async create(): Promise<string> {
      const id = randomUUID();
      ids.push(id);
      await prisma.participant.create({
        data: {
          id,
          nikHash: `${label}-${id}`,
          province: 'DKI Jakarta',
          employmentStatus: 'LAID_OFF',
          channel: 'SELF',
          stage: 'RECEIVING_INCENTIVES',
          payoutAccount: cipher.encrypt(PAYEE_ACCOUNT, ENVELOPE_CONTEXT.payoutAccount(id)),
          payoutAccountKeyId: cipher.activeKeyId,
        },
      });
      return id;
    },
    async removeAll(): Promise<void> {
      await prisma.ledgerEntry.deleteMany({ where: { participantId: { in: ids } } });
      await prisma.participant.deleteMany({ where: { id: { in: ids } } });
    },
  };
}
