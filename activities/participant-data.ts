// Writes personal data the participant gives after signup, encrypted like the rest. The API
// seals it before it enters the workflow (participant-journey.definitions.ts); histories from
// before that carry it plain (inside the codec's encryption), and are sealed here.
import type { PrismaClient } from '../lib/database';
import type { PayoutAccount } from '../lib/payout-account';
import { ENVELOPE_CONTEXT, type PersonalDataCipher } from '../lib/personal-data';
import type { IdentityCorrectionUpdate, PayoutAccountUpdate } from '../workflows/participant-journey.definitions';

export function createParticipantDataActivities({ prisma, personalData }: { prisma: PrismaClient; personalData: PersonalDataCipher }) {
  return {
    async storeIdentityCorrection({ participantId, ...correction }: { participantId: string } & IdentityCorrectionUpdate): Promise<void> {
      const { fullName, dateOfBirth } =
        'sealedIdentity' in correction
          ? personalData.decrypt<{ fullName: string; dateOfBirth: string }>(correction.sealedIdentity, ENVELOPE_CONTEXT.identityCorrection(participantId))
          : correction;
      const participant = await prisma.participant.findUniqueOrThrow({ where: { id: participantId } });
      const current = personalData.openPersonalData(participantId, participant.personalData);
      await prisma.participant.update({
        where: { id: participantId },
        data: {
          personalData: personalData.encrypt({ ...current, fullName, dateOfBirth }, ENVELOPE_CONTEXT.personalData(participantId)),
          personalDataKeyId: personalData.activeKeyId,
        },
      });
    },

    async storePayoutAccount({ participantId, account }: { participantId: string; account: PayoutAccountUpdate }): Promise<void> {
      const context = ENVELOPE_CONTEXT.payoutAccount(participantId);
      // A sealed account is checked (it must open for this participant) and stored under the active key.
      const plain: PayoutAccount = 'sealedAccount' in account ? personalData.decrypt<PayoutAccount>(account.sealedAccount, context) : account;
      await prisma.participant.update({
        where: { id: participantId },
        data: { payoutAccount: personalData.encrypt(plain, context), payoutAccountKeyId: personalData.activeKeyId },
      });
    },
  };
}
